import { getRequestConfig } from "next-intl/server";
import { currentSite } from "@/lib/sites/current";
import { isLocale } from "./config";
import { messagesFor } from "./resolve";
import { usableTimeZone } from "@/lib/time-zone";

// Overrides are read on every request, so a change in the internationalisation screen shows
// on the next page load with no restart or rebuild.
export default getRequestConfig(async ({ requestLocale }) => {
  const site = await currentSite();
  const requested = await requestLocale;
  const locale = isLocale(requested) ? requested : isLocale(site.defaultLocale) ? site.defaultLocale : "fr";
  return {
    locale,
    // Dates read in the site's own zone (its SMS sending hours are in it), on the server and in
    // the browser alike: without one, next-intl formats in the server's zone (UTC on most hosts).
    // A zone this runtime does not know (written to the database by hand) must not break every page.
    timeZone: usableTimeZone(site.timeZone),
    messages: await messagesFor(locale, site),
    onError: () => {},
    getMessageFallback: ({ key, namespace }) => (namespace ? `${namespace}.${key}` : key),
  };
});

import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, type Site } from "@/db/schema";
import { smsSender } from "./send-test";
import { siteSmsUrl } from "./site-sms-url";
import { parseSmppUrl, parseTwilioUrl } from "./url";

/**
 * The sender an SMS URL gives the SMS that carry none of their own: what lib/sms/resolve.ts
 * (SMPP, `parseSmppUrl(url).source`) and lib/sms/twilio.ts (`config.from`) fall back to, read
 * with the same parsers. "" for the outbox, or a URL they would refuse.
 */
export function urlSmsSender(url: string | null): string {
  if (!url) return "";
  try {
    if (/^smpps?:/.test(url)) return parseSmppUrl(url).source;
    if (url.startsWith("twilio:")) return parseTwilioUrl(url).from ?? "";
  } catch {
    // An unusable URL sends nothing: no sender to show.
  }
  return "";
}

/**
 * The sender an SMS of this site goes out from, as the screens show it: the message's own
 * (`fromAddress`: `smsSender(site)` when it was queued), else its transport's, as the
 * transports pick it (`sms.from || the URL's`); "" when the account's default at the SMSC
 * applies (or the site's stored URL cannot be read, and nothing is sent).
 */
export function shownSmsSender(site: Pick<Site, "smsSender" | "smsUrl">, fromAddress: string = smsSender(site)): string {
  if (fromAddress) return fromAddress;
  const found = siteSmsUrl(site);
  return found.ok ? urlSmsSender(found.url) : "";
}

/** The same for a queued SMS, whose site may not be the reader's (a superuser's queue screen). */
export async function shownSmsSenderOf(siteId: number, fromAddress: string): Promise<string> {
  if (fromAddress) return fromAddress;
  const [site] = await db.select({ smsSender: sites.smsSender, smsUrl: sites.smsUrl }).from(sites).where(eq(sites.id, siteId));
  return site ? shownSmsSender(site, "") : "";
}

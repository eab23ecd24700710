import { locales } from "@/lib/i18n/config";
import { siteTexts } from "@/lib/i18n/resolve";
import type { ImportVocabulary } from "./import/cell-words";
import { languageLabel, SUBSCRIPTION_CSV_HEADERS, subscriptionStatusLabel } from "./subscriptions/csv";

/**
 * The words of a site's own files, in every language: its subscriptions export from a screen
 * (headers under SUBSCRIPTION_CSV_HEADERS, statuses and languages by their labels) and the
 * import's refused rows file (subscriptions.import.report). Read from the site's catalogue, as the
 * files were written: renamed in the internationalisation screen, they are still read back, so
 * that a row a file says unsubscribed or unconfirmed is still refused.
 */
export async function importVocabulary(site: { id: number; defaultLocale: string }): Promise<ImportVocabulary> {
  const texts = await siteTexts(site);
  const every = (...keys: string[]) => locales.flatMap((l) => keys.map((key) => texts.t(l)(key)));
  const column = (exported: string, reported: string) => every(`${SUBSCRIPTION_CSV_HEADERS}.${exported}`, `subscriptions.import.report.${reported}`);
  return {
    headers: { email: column("email", "email"), name: column("name", "name"), phone: column("phone", "phone"), language: column("language", "language"), status: column("status", "status") },
    statuses: { unsubscribed: every(subscriptionStatusLabel("unsubscribed")), unconfirmed: every(subscriptionStatusLabel("unconfirmed")) },
    languages: { fr: every(languageLabel("fr")), en: every(languageLabel("en")) },
  };
}

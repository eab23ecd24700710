import type { SQL } from "drizzle-orm";
import type { SubscriptionStatus } from "@/db/schema";
import { csvHeaders, pagedCsvStream, STABLE_CSV, type CsvFormat, type CsvWords } from "@/lib/csv";
import type { Locale } from "@/lib/i18n/config";
import { consentWords } from "../consent-note";
import { statedLocale } from "./filters";
import { listSubscriptions, type SubscriptionRow } from "./list";

// New columns come last (`phone`, then `language`): spreadsheets and scripts made for the earlier
// columns keep working. `language` is empty when not stated (the site's default applies): the
// import reads it back the same way, an empty cell taking the import's chosen language.
export const SUBSCRIPTION_CSV_COLUMNS = ["email", "name", "status", "source", "consent_at", "consent_ip", "consent_text", "confirmed_at", "unsubscribed_at", "phone", "language"] as const;
/**
 * Where a screen's file takes its words (CsvWords), the import's vocabulary too (import-vocabulary.ts):
 * whatever the site calls a status or a column, its own file imported back is read as it was written.
 */
export const SUBSCRIPTION_CSV_HEADERS = "subscriptions.csv";
export const subscriptionStatusLabel = (status: SubscriptionStatus) => `subscriptions.status.${status}`;
export const languageLabel = (locale: Locale) => `layout.languageLabel.${locale}`;
const BATCH = 5_000;
const cells = (r: SubscriptionRow, words: CsvWords) => {
  const language = statedLocale(r.locale);
  // The address as stored, an accented domain in ASCII, unlike the screen: lib/idn.ts says why.
  return [
    r.email, r.name, words(subscriptionStatusLabel(r.status), r.status), words(`subscriptions.source.${r.source}`, r.source), r.consentAt, r.consentIp,
    // A screen's file words an administrator's note as the screen does; a script's keeps it as stored.
    consentWords(r.consentText, (note) => words(`subscriptions.consent.${note.key}`, r.consentText!, note.values)),
    r.confirmedAt, r.unsubscribedAt, r.phone, language ? words(languageLabel(language), language) : null,
  ];
};

/**
 * The filtered group as CSV, read in keyset batches as the client downloads it (like the queue
 * export), in a screen's words or a script's (`format`).
 */
export function subscriptionsCsvStream(where: SQL, format: CsvFormat = STABLE_CSV): ReadableStream<Uint8Array> {
  return pagedCsvStream<number>(csvHeaders(SUBSCRIPTION_CSV_COLUMNS, SUBSCRIPTION_CSV_HEADERS, format.words), async (after) => {
    const page = await listSubscriptions(where, { after, limit: BATCH });
    return { lines: page.rows.map((r) => cells(r, format.words)), next: page.next };
  }, format.delimiter);
}

import type { SQL } from "drizzle-orm";
import { csvHeaders, pagedCsvStream, STABLE_CSV, type CsvFormat, type CsvWords } from "@/lib/csv";
import { errorReason, reasonValues } from "./error-reason";
import { allSiteIds, listQueue, type ListOptions, type QueueListRow } from "./list";

// Columns added later go last: spreadsheets and scripts made for the earlier ones keep working.
// `last_error` stays the provider's exact text; `error_reason` is its cause: its stable name
// (ERROR_REASONS) in a script's file, as `status` and `channel`, to count or filter failures by
// cause; a screen's file gives the three as the screens name them (CsvWords). Like the screen's
// list, both are given for rows in error only: a row sent, or set back to pending, after a failed
// attempt keeps that attempt's text in the database (the row's page and history show it), but it
// has not failed, and a "Sent" line carrying an error reads as a failure. `subject` is an SMS's start,
// as the screen shows it; `text` is the whole SMS as the person received it (an email's body is
// its own: the row's page), never a body the queue hides (lib/queue/hidden-content.ts).
export const CSV_COLUMNS = ["id", "site", "channel", "recipient", "name", "subject", "status", "attempts", "queued_at", "sent_at", "delivered_at", "last_error", "segments", "provider_id", "receipt_at", "error_reason", "text"] as const;
const BATCH = 5_000;

const rowCells = (r: QueueListRow, words: CsvWords) => {
  const error = r.status === "error" ? r.lastError : null;
  const reason = error ? errorReason(error) : null;
  return [
    r.id, r.siteDomain, words(`queue.channel.${r.channel}`, r.channel), r.recipient, r.recipientName, r.subject, words(`queue.status.${r.status}`, r.status),
    r.attempts, r.queuedAt, r.sentAt, r.deliveredAt, error, r.segments, r.providerMessageId, r.receiptAt,
    reason ? words(`queue.failure.reasons.${reason.key}`, reason.key, reasonValues(reason)) : null,
    r.text,
  ];
};

/**
 * The filtered list as CSV, produced batch by batch as the client reads it (keyset pages of
 * 5,000 rows), so an export of a million rows never sits in memory.
 */
export function queueCsvStream(where: SQL | null, options: Pick<ListOptions, "order" | "allSites"> = {}, format: CsvFormat = STABLE_CSV): ReadableStream<Uint8Array> {
  let siteIds: number[] | undefined; // read once, not once per page
  return pagedCsvStream<number>(csvHeaders(CSV_COLUMNS, "queue.csv", format.words), async (after) => {
    if (where === null) return { lines: [], next: null };
    if (options.allSites) siteIds ??= await allSiteIds();
    const page = await listQueue(where, { ...options, siteIds, after, limit: BATCH, texts: true });
    return { lines: page.rows.map((r) => rowCells(r, format.words)), next: page.next };
  }, format.delimiter);
}

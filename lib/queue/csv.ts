import type { SQL } from "drizzle-orm";
import { allSiteIds, listQueue, type ListOptions, type QueueListRow } from "./list";

export const CSV_COLUMNS = ["id", "site", "channel", "recipient", "name", "subject", "status", "attempts", "queued_at", "sent_at", "delivered_at", "last_error"] as const;
const BATCH = 5_000;

/**
 * One CSV field. Text that a spreadsheet would read as a formula (= + - @, or a leading tab or
 * carriage return) gets a leading apostrophe; then the usual quoting of RFC 4180.
 */
export function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  let s = value instanceof Date ? value.toISOString() : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: (string | number | Date | null | undefined)[]) => `${cells.map(csvCell).join(",")}\r\n`;

const rowCells = (r: QueueListRow) => [r.id, r.siteDomain, r.channel, r.recipient, r.recipientName, r.subject, r.status, r.attempts, r.queuedAt, r.sentAt, r.deliveredAt, r.lastError];

/**
 * The filtered list as CSV, produced batch by batch as the client reads it (keyset pages of
 * 5,000 rows), so an export of a million rows never sits in memory.
 */
export function queueCsvStream(where: SQL | null, options: Pick<ListOptions, "order" | "allSites"> = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: number | undefined;
  let siteIds: number[] | undefined; // read once, not once per page
  let started = false;
  let done = where === null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // The BOM makes spreadsheet programs read the file as UTF-8 (accents in names, subjects).
        controller.enqueue(encoder.encode(`\uFEFF${csvLine([...CSV_COLUMNS])}`));
        return;
      }
      if (done) return controller.close();
      if (options.allSites) siteIds ??= await allSiteIds();
      const page = await listQueue(where, { ...options, siteIds, after, limit: BATCH, segments: false });
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((r) => csvLine(rowCells(r))).join("")));
      // Close in the same pull: a pull that enqueues nothing is never followed by another one.
      if (page.next === null) controller.close();
      else after = page.next;
    },
    cancel() {
      done = true;
    },
  });
}

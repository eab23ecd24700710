import { db } from "@/db/client";
import { isRefusedOutcome, lookupAddresses, plannedOutcome, type AddOptions, type AddOutcome } from "../subscriptions/planned-outcome";
import type { ImportVocabulary } from "./cell-words";
import type { DelimiterName } from "./parse-csv";
import { readImport, type ImportProblem, type ImportRow } from "./read";

/** `newPhone`: the row's phone will be the address's number where it had none in the group, or another one (in the group or its others). */
/** `shownPhone`: the number formatted for reading, added by the preview action (the browser has no phone metadata). */
/** `refused`: see isRefused. */
export type PreviewRow = ImportRow & { outcome: AddOutcome | null; newPhone: boolean; refused: boolean; shownPhone?: string | null };
export type ImportPreview = Omit<ReturnType<typeof readImport>, "rows"> & {
  rows: PreviewRow[];
  total: number;
  /** `merged`: duplicates of an earlier row, merged into it (neither imported on their own nor refused). */
  counts: Record<AddOutcome | "problems" | "merged", number>;
  /** Addresses already in the group whose phone the import sets or changes (counted in `already` or `confirmed` too). */
  phones: number;
  hidden: number;
};

/**
 * A row the import leaves out, to be corrected and imported again: a problem, or an address that
 * unsubscribed or was erased. A duplicate is not one: its address is imported (with its name and phone, if the
 * first row had none) through the row it was merged into; refused, it would be counted twice and
 * sent back in the refused rows' file to be imported again.
 */
const isRefused = (problem: ImportProblem | null, outcome: AddOutcome | null) =>
  (problem !== null && problem !== "duplicate") || isRefusedOutcome(outcome);

const PREVIEW_GOOD_ROWS = 300;
const PREVIEW_MAX_ROWS = 1000;

/**
 * What an import would do, row by row, without writing anything: the file's problems, and
 * for good rows whether the address is new, already there, confirmed now, or refused because
 * it unsubscribed. Large files show every refused row (up to 1,000) and the first good ones.
 */
export async function previewImport(siteId: number, groupId: number, text: string, options: { delimiter: DelimiterName; status: AddOptions["status"]; country: string; vocabulary?: ImportVocabulary }): Promise<ImportPreview> {
  const read = readImport(text, options.delimiter, options.country, options.status, options.vocabulary);
  const rows = await withOutcomes(siteId, groupId, read.rows, options.status);
  const counts = { added: 0, confirmed: 0, already: 0, unsubscribed: 0, suppressed: 0, erased: 0, erasedPhone: 0, problems: 0, merged: 0 };
  const shown: PreviewRow[] = [];
  let good = 0;
  let phones = 0;
  for (const r of rows) {
    counts[r.problem === "duplicate" ? "merged" : (r.outcome ?? "problems")]++;
    if (r.newPhone) phones++;
    if (shown.length < PREVIEW_MAX_ROWS && (r.refused || good++ < PREVIEW_GOOD_ROWS)) shown.push(r);
  }
  return { ...read, rows: shown, total: rows.length, counts, phones, hidden: rows.length - shown.length };
}

async function withOutcomes(siteId: number, groupId: number, rows: ImportRow[], status: AddOptions["status"]): Promise<PreviewRow[]> {
  const good = rows.filter((r) => !r.problem);
  const outcome = new Map<string, { planned: AddOutcome; phone: string | null | undefined; sitePhone: string | undefined }>();
  for (let i = 0; i < good.length; i += 1000) {
    const chunk = good.slice(i, i + 1000);
    const found = await lookupAddresses(siteId, groupId, chunk.map((r) => r.email), db, chunk.flatMap((r) => (r.phone ? [r.phone] : [])));
    for (const r of chunk) outcome.set(r.email, { planned: plannedOutcome(r.email, status, found, r.phone), phone: found.existing.get(r.email)?.phone, sitePhone: found.sitePhones.get(r.email) });
  }
  return rows.map((r) => {
    if (r.problem) return { ...r, outcome: null, newPhone: false, refused: isRefused(r.problem, null) };
    const { planned, phone, sitePhone } = outcome.get(r.email)!;
    // As addSubscribers does: a phone given for an address already there (not unsubscribed) sets
    // or replaces its number; for an address new to the group, it replaces the number the person
    // has in their other groups.
    const inGroup = planned === "already" || planned === "confirmed";
    const replacesElsewhere = planned === "added" && sitePhone !== undefined && r.phone !== sitePhone;
    return { ...r, outcome: planned, newPhone: r.phone !== null && ((inGroup && r.phone !== phone) || replacesElsewhere), refused: isRefused(null, planned) };
  });
}

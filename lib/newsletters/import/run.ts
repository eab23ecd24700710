import type { Locale } from "@/lib/i18n/config";
import { addSubscribers } from "../subscriptions/add";
import type { AddOptions, RefusedOutcome } from "../subscriptions/planned-outcome";
import type { ImportVocabulary } from "./cell-words";
import type { DelimiterName } from "./parse-csv";
import { readImport, type ImportProblem } from "./read";

export type RefusedRow = {
  line: number;
  email: string;
  name: string;
  phone: string | null;
  typedPhone: string;
  typedLanguage: string;
  typedStatus: string;
  reason: Exclude<ImportProblem, "duplicate"> | RefusedOutcome;
  /** The row's other problems (ImportRow.otherProblems), said with `reason`. */
  otherProblems: ImportProblem[];
};
/**
 * `phones`: addresses whose number was set or changed: in the group, or replaced in the person's
 * other groups (counted in their outcome too). `merged`: duplicate rows, merged into an earlier one.
 */
export type ImportReport = { total: number; added: number; confirmed: number; already: number; merged: number; phones: number; refused: RefusedRow[] };

/**
 * Imports the good rows (source "import"): new addresses get `status`, unconfirmed ones are
 * confirmed if `status` is confirmed, confirmed ones stay so, and unsubscribed, suppressed or erased
 * addresses are left as they are and reported with the file's problems, by line. Duplicates
 * are counted apart (merged), not refused. New addresses read their row's language, else `locale`.
 */
export async function runImport(
  siteId: number,
  groupId: number,
  text: string,
  options: { delimiter: DelimiterName; status: AddOptions["status"]; consentText: string; country: string; locale: Locale; vocabulary?: ImportVocabulary },
): Promise<ImportReport> {
  const { rows } = readImport(text, options.delimiter, options.country, options.status, options.vocabulary);
  const good = rows.filter((r) => !r.problem);
  const { outcomes, phones } = await addSubscribers(siteId, groupId, good, {
    status: options.status,
    source: "import",
    consentText: options.consentText,
    locale: options.locale,
  });
  const report: ImportReport = { total: rows.length, added: 0, confirmed: 0, already: 0, merged: 0, phones: phones.size, refused: [] };
  for (const r of rows) {
    const outcome = r.problem ? null : outcomes.get(r.email)!;
    if (outcome === "added" || outcome === "confirmed" || outcome === "already") report[outcome]++;
    else if (r.problem === "duplicate") report.merged++;
    else report.refused.push({ line: r.line, email: r.email, name: r.name, phone: r.phone, typedPhone: r.typedPhone, typedLanguage: r.typedLanguage, typedStatus: r.typedStatus, reason: r.problem ?? (outcome as RefusedOutcome), otherProblems: r.otherProblems });
  }
  return report;
}

import { csvUnguard } from "@/lib/csv";
import type { Locale } from "@/lib/i18n/config";
import { normalizePhone } from "@/lib/sms/phone";
import { isEmail, normalizeEmail } from "../addresses";
import type { AddOptions } from "../subscriptions/planned-outcome";
import { knownWords, readFileStatus, readLanguage, type ImportVocabulary } from "./cell-words";
import { detectColumns } from "./columns";
import { delimiterChar, detectDelimiter, parseCsv, type DelimiterName } from "./parse-csv";

export type ImportProblem = "missingEmail" | "invalidEmail" | "invalidPhone" | "invalidLanguage" | "duplicate" | "unclosedQuote" | "unsubscribedInFile" | "unconfirmedInFile";
/**
 * `phone` is in E.164, or as typed when it is the row's problem (invalidPhone); null when the cell
 * is empty or absent. `typedPhone` is the cell as typed ("" without one), for the refused rows' file.
 * `locale` is the row's language cell read (readLanguage), null when empty or absent (the import's
 * chosen language then applies); `typedLanguage` the cell as typed; `typedStatus` the status
 * column's cell as typed ("" without one).
 */
export type ImportRow = {
  line: number;
  email: string;
  name: string;
  phone: string | null;
  typedPhone: string;
  locale: Locale | null;
  typedLanguage: string;
  typedStatus: string;
  problem: ImportProblem | null;
  /** The row's other problems after `problem`: every cell's is said at once, not one per import. */
  otherProblems: ImportProblem[];
  duplicateOf?: number;
};

// PostgreSQL cannot store NUL; other control characters have no place in a name either.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").replace(/\s+/g, " ").trim();

/**
 * The file's rows, validated: line, address (normalised), name, phone (in E.164, national
 * numbers read in `country`, the site's) and problem. A row with an invalid phone is refused
 * whole rather than imported without it, so that the number can be corrected and the row sent
 * again; so is a row whose language is not one the app speaks (rather than mailed in a guessed one),
 * one its status column says unsubscribed, and one it says unconfirmed when `importStatus` would
 * confirm it. A cell our exports guarded against formulas (`'+33…`, `'=…`) loses that apostrophe.
 * Duplicates of an address are merged into its first row (which takes a name and a phone
 * from them if it has none).
 */
export function readImport(text: string, delimiterName: DelimiterName, country: string, importStatus: AddOptions["status"] = "confirmed", vocabulary?: ImportVocabulary) {
  const own = knownWords(vocabulary);
  const delimiter = delimiterName === "auto" ? detectDelimiter(text) : delimiterChar[delimiterName];
  const parsed = parseCsv(text, delimiter);
  // Our own exports write `'+33…` so that spreadsheets do not read numbers as formulas: read them back as written.
  const records = parsed.records.map((r) => ({ ...r, cells: r.cells.map(csvUnguard) }));
  const unclosed = parsed.unclosed;
  const columns = detectColumns(records, own);
  const rows: ImportRow[] = [];
  const firstOf = new Map<string, ImportRow>();
  for (const record of columns.header ? records.slice(1) : records) {
    let raw = clean(columns.email === null ? "" : (record.cells[columns.email] ?? ""));
    let name = clean(columns.name.map((i) => record.cells[i] ?? "").join(" ")).slice(0, 200);
    const named = /^(.*)<([^<>]+)>$/.exec(raw); // "Ann Example <ann@example.org>"
    if (named) {
      raw = named[2].trim();
      name ||= clean(named[1].replace(/^["']|["']$/g, "")).slice(0, 200);
    }
    const email = normalizeEmail(raw);
    const typedPhone = clean(columns.phone === null ? "" : (record.cells[columns.phone] ?? "")).slice(0, 40);
    const phone = typedPhone ? normalizePhone(typedPhone, country) : null;
    const typedLanguage = clean(columns.language === null ? "" : (record.cells[columns.language] ?? "")).slice(0, 40);
    const locale = typedLanguage ? readLanguage(typedLanguage, own) : null;
    const typedStatus = clean(columns.status === null ? "" : (record.cells[columns.status] ?? "")).slice(0, 40);
    const fileStatus = readFileStatus(typedStatus, own);
    const row: ImportRow = {
      line: record.line,
      email: (email || raw).slice(0, 320),
      name,
      phone: phone?.ok ? phone.e164 : typedPhone || null,
      typedPhone,
      locale,
      typedLanguage,
      typedStatus,
      problem: null,
      otherProblems: [],
    };
    // Every problem of the row, so that the refused rows' file is corrected in one go: a row that
    // said only its address's came back refused for its number once the address was corrected.
    const problems: ImportProblem[] = [];
    if (record.line === unclosed) problems.push("unclosedQuote");
    else {
      if (!email) problems.push("missingEmail");
      else if (!isEmail(email)) problems.push("invalidEmail");
      if (phone && !phone.ok) problems.push("invalidPhone");
      if (typedLanguage && !locale) problems.push("invalidLanguage");
      // A group's export imported back (or into another group) must not subscribe those who left,
      // nor confirm those who never confirmed: consent is the person's, not the file's.
      if (fileStatus === "unsubscribed") problems.push("unsubscribedInFile");
      else if (fileStatus === "unconfirmed" && importStatus === "confirmed") problems.push("unconfirmedInFile");
    }
    if (problems.length) Object.assign(row, { problem: problems[0], otherProblems: problems.slice(1) });
    else if (firstOf.has(email)) {
      const kept = firstOf.get(email)!;
      kept.name ||= name;
      kept.phone ||= row.phone;
      kept.locale ||= locale;
      Object.assign(row, { problem: "duplicate", duplicateOf: kept.line });
    } else firstOf.set(email, row);
    rows.push(row);
  }
  return { delimiter: (Object.keys(delimiterChar) as (keyof typeof delimiterChar)[]).find((k) => delimiterChar[k] === delimiter)!, columns, rows };
}

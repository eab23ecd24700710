import { csvHeader, csvLine, type CsvDelimiter } from "@/lib/csv";
import type { RefusedRow } from "./run";

/**
 * The refused rows as a CSV file (line, email, name, mobile number, language, status, problem),
 * problems in the reader's words, to be corrected and imported again: the number, the language
 * and the status are kept as typed, under headers this import recognises (the translated "Mobile
 * number", "Language" and "Status"), like the email and the name. So a row refused because the
 * file said it unsubscribed is refused again when the file comes back, into any group.
 */
export function refusedCsv(
  refused: RefusedRow[],
  describe: (row: RefusedRow) => string,
  header: [line: string, email: string, name: string, phone: string, language: string, status: string, problem: string],
  delimiter: CsvDelimiter = ",",
): string {
  return `${csvHeader(header, delimiter)}${refused.map((r) => csvLine([r.line, r.email, r.name, r.typedPhone, r.typedLanguage, r.typedStatus, describe(r)], delimiter)).join("")}`;
}

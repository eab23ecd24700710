/**
 * CSV as spreadsheet programs read it: RFC 4180 quoting, a BOM so accents survive, and exports
 * streamed page by page so a million rows never sit in memory.
 */

import { isLocale, type Locale } from "@/lib/i18n/config";

type Cell = string | number | Date | null | undefined;
/**
 * What a spreadsheet reads as the start of a formula, after any apostrophes: a text that already
 * starts with an apostrophe before one of these is guarded too, so csvUnguard gives it back whole.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

/**
 * A formula start right after the other separator than the file's. Excel takes a .csv's separator
 * from the regional list separator (";" in France, "," in English-speaking countries) and splits
 * every line at it, quotes or not: the text after it starts a cell of its own there, so it is
 * guarded as a cell's start is. The apostrophe stays when the file is imported back (csvUnguard
 * only undoes a cell's first).
 */
const FORMULA_AFTER = { ",": /;(?='*[=+\-@\t\r])/g, ";": /,(?='*[=+\-@\t\r])/g } as const;

/** The separators our files use: "," by default, ";" for readers of French (Excel's list separator there). */
export type CsvDelimiter = keyof typeof FORMULA_AFTER;

/**
 * The language a screen's export link asked for (csvExportHref: `csv=fr` or `csv=en`); null
 * without one (a script, a link saved before): the stable names, English, with commas.
 */
export const csvLocaleOf = (params: URLSearchParams): Locale | null => {
  const asked = params.get("csv");
  return isLocale(asked) ? asked : null;
};

/**
 * The separator an export link asked for: semicolons for a French screen's (`csv=fr`, or
 * `sep=semicolon` as its links said before), else a comma.
 */
export const csvDelimiterOf = (params: URLSearchParams): CsvDelimiter => (csvLocaleOf(params) === "fr" || params.get("sep") === "semicolon" ? ";" : ",");

/**
 * An export link for a screen in `locale`: the file is written in that language (headers and
 * labelled values, csvFormatFor), and French ones use semicolons, so that Excel set up for French
 * opens the file in columns (with commas it showed every line in the first one).
 */
export function csvExportHref(href: string, locale: string): string {
  return isLocale(locale) ? `${href}${href.includes("?") ? "&" : "?"}csv=${locale}` : href;
}

/**
 * How an export names a header or a value the screens show by a label: `key` is its label in the
 * translation catalogue, `stable` the name it has in files for scripts (the column's or the
 * status's own name, in English). A screen's file takes the label, a script's the stable name.
 */
export type CsvWords = (key: string, stable: string, values?: Record<string, string | number>) => string;
/** The words and separator of one file: see csvFormatFor (lib/csv-format.ts) for a screen's. */
export type CsvFormat = { delimiter: CsvDelimiter; words: CsvWords };
/** Scripts' and commands' files, as they always were: stable English names, commas. */
export const STABLE_CSV: CsvFormat = { delimiter: ",", words: (_key, stable) => stable };

/** A header line's cells: each column's label under `namespace` (`queue.csv.status`…), or its stable name. */
export const csvHeaders = (columns: readonly string[], namespace: string, words: CsvWords) => columns.map((c) => words(`${namespace}.${c}`, c));

/**
 * One CSV field. Text that a spreadsheet would read as a formula (= + - @, or a leading tab or
 * carriage return), at its start or after the other separator (FORMULA_AFTER), gets an
 * apostrophe before it; then the usual quoting of RFC 4180, for the file's own separator.
 */
export function csvCell(value: Cell, delimiter: CsvDelimiter = ","): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  let s = value instanceof Date ? value.toISOString() : value;
  if (FORMULA.test(s)) s = `'${s}`;
  s = s.replace(FORMULA_AFTER[delimiter], (m) => `${m}'`);
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The inverse of csvCell's guard, for files this application exported and gets back: an
 * apostrophe before one of the guarded characters is csvCell's (a spreadsheet keeps it as text,
 * and saves it as it is), so it is dropped. Any other apostrophe is the cell's own.
 */
export const csvUnguard = (cell: string) => (cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell);

export const csvLine = (cells: Cell[], delimiter: CsvDelimiter = ",") => `${cells.map((c) => csvCell(c, delimiter)).join(delimiter)}\r\n`;

/** A header line, with the BOM that makes spreadsheet programs read the file as UTF-8. */
export const csvHeader = (columns: readonly string[], delimiter: CsvDelimiter = ",") => `\uFEFF${csvLine([...columns], delimiter)}`;

/**
 * A CSV download produced as the client reads it: the header, then one page of lines per pull,
 * `page(cursor)` giving the lines and the next cursor (null: that was the last page).
 */
export function pagedCsvStream<C>(
  columns: readonly string[],
  page: (cursor: C | undefined) => Promise<{ lines: Cell[][]; next: C | null }>,
  delimiter: CsvDelimiter = ",",
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: C | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvHeader(columns, delimiter)));
        return;
      }
      if (done) return controller.close();
      const { lines, next } = await page(cursor);
      if (lines.length) controller.enqueue(encoder.encode(lines.map((l) => csvLine(l, delimiter)).join("")));
      // Close in this same pull: a pull that enqueues nothing is never followed by another one.
      if (next === null) controller.close();
      else cursor = next;
    },
    cancel() {
      done = true;
    },
  });
}

/** A CSV download named `<name>-<today>.csv`, never cached, never sniffed into something else. */
export function csvResponse(stream: ReadableStream<Uint8Array>, name: string): Response {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

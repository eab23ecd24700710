/* Reading a CSV's text into records: the delimiter, quotes and line breaks, before any column means anything. */

export const delimiterNames = ["auto", "comma", "semicolon", "tab"] as const;
export type DelimiterName = (typeof delimiterNames)[number];
export const delimiterChar = { comma: ",", semicolon: ";", tab: "\t" } as const;
type Delimiter = (typeof delimiterChar)[keyof typeof delimiterChar];

export type CsvRecord = { line: number; cells: string[] };

/**
 * RFC 4180, leniently: `"` opens a quoted field (`""` inside is a quote, line breaks are kept),
 * a quote elsewhere is an ordinary character; CRLF, LF or CR end a record; a leading BOM is
 * dropped. Each record remembers the physical line it starts on (1-based), for the report.
 * `unclosed` is the line of a quote never closed (the rest of the file was read into it).
 */
export function parseCsv(text: string, delimiter: string): { records: CsvRecord[]; unclosed: number | null } {
  const records: CsvRecord[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  const endRecord = () => {
    cells.push(field);
    if (cells.some((c) => c.trim() !== "")) records.push({ line: start, cells });
    cells = [];
    field = "";
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n" || (c === "\r" && src[i + 1] !== "\n")) line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === delimiter) {
      cells.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  const unclosed = quoted ? start : null;
  endRecord();
  return { records, unclosed };
}

/** The separator used most outside quotes in the first lines; `;` wins a tie (French spreadsheets). */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 20; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "\n") lines++;
    else if (!quoted && c in counts) counts[c as Delimiter]++;
  }
  return ([";", ",", "\t"] as const).reduce((best, d) => (counts[d] > counts[best] ? d : best), ";" as Delimiter);
}

/*
 * How large a subscriber import may be. Kept apart from import/ (which reaches the database)
 * so the import screen's client component can check a file before sending it.
 */

/** The CSV text, in UTF-8 bytes. */
export const MAX_CSV_BYTES = 900_000;

/**
 * The largest server action body (next.config.mjs sets serverActions.bodySizeLimit to this very
 * number; tests/newsletters/import-limits.test.ts checks they agree). The CSV travels as a JSON
 * string inside the action's body, where a quote, backslash, tab, CR or LF takes two bytes: a
 * CSV of MAX_CSV_BYTES made only of those still fits in twice its size. The 64 kB on top are for
 * the other fields (a file name of 255 characters, escaped) and React's encoding around them.
 */
export const ACTION_BODY_LIMIT = 2 * MAX_CSV_BYTES + 64 * 1024;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * Whether a CSV is small enough to import: at most MAX_CSV_BYTES, and at most twice that once
 * JSON-escaped. The second can only fail for text full of other control characters (six bytes
 * each, `\u0001`), which would otherwise be cut off by Next before the action runs and reach the
 * person as an "unexpected error" instead of "too big".
 */
export function csvFitsImport(csv: string): boolean {
  // JSON.stringify adds the string's two quotes: they count among the 64 kB, not the CSV's share.
  return utf8Bytes(csv) <= MAX_CSV_BYTES && utf8Bytes(JSON.stringify(csv)) - 2 <= 2 * MAX_CSV_BYTES;
}

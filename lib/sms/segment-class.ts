import { sql, type SQL } from "drizzle-orm";
import { GSM_BASIC_CHARS, GSM_EXTENSION_CHARS } from "./segments";

/** A PostgreSQL regex matching a whole value made only of these characters (each written \uXXXX: all are in the BMP). */
const onlyOf = (chars: string) => `^[${Array.from(chars, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}]*$`;

/**
 * A value made only of what String.prototype.trim removes is blank: fillPlaceholders then
 * writes a placeholder's fallback instead of it. The set is taken from JavaScript itself, so
 * the SQL below decides blankness exactly as the queue will.
 */
const BLANK = onlyOf(
  Array.from({ length: 0xffff }, (_, c) => String.fromCharCode(c + 1))
    .filter((ch) => ch.trim() === "")
    .join(""),
);
const GSM_BASIC_ONLY = onlyOf(GSM_BASIC_CHARS);
const GSM_ONLY = onlyOf(GSM_BASIC_CHARS + GSM_EXTENSION_CHARS);
/** Any character outside the Basic Multilingual Plane: two UTF-16 units, one indivisible UCS-2 piece. */
const ASTRAL = "[^\\u0001-\\uffff]";

/**
 * What a value filling an SMS placeholder (`{{name}}`, `{{phone}}`) changes in the segment count
 * of the text it goes into (lib/sms/segments.ts), as SQL: values of the same class give every
 * text the same count, so a send's cost is priced once per class, weighted by its rows, instead
 * of once per person.
 * - Only GSM basic characters: each costs one unit whichever encoding the text ends in, and
 *   leaves the encoding as the rest decides: only the length matters.
 * - At least one character outside GSM-7 and none outside the BMP: the whole text is UCS-2 and
 *   each of the value's characters one unit: only the length matters.
 * - Anything else (blank, which a fallback may replace; GSM extension characters, two septets
 *   that never split; characters outside the BMP, two units that never split): where such a
 *   character falls can move a part boundary, so the value stands for itself. Rare in names.
 */
export function segmentClass(value: SQL): SQL {
  // Regular expressions, compiled once per statement: translate() against the 130 GSM
  // characters cost seconds over 300,000 values.
  return sql`(case
    when ${value} ~ ${BLANK} then 'v:' || ${value}
    when ${value} ~ ${GSM_BASIC_ONLY} then 'g:' || char_length(${value})
    when ${value} !~ ${GSM_ONLY} and ${value} !~ ${ASTRAL} then 'u:' || char_length(${value})
    else 'v:' || ${value} end)`;
}

// Phone numbers for SMS recipients. Everything is stored and sent in E.164 ("+33612345678"):
// one spelling per number means the queue's (message, recipient) key dedupes correctly and the
// SMS gateway gets no national formats. People type numbers nationally for the site's country,
// so parsing takes that country as the default.
//
// The "max" metadata is used because it validates against each country's real number ranges;
// "min" only checks lengths and would accept numbers no operator can deliver to.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export const DEFAULT_COUNTRY = "FR";

export type NormalizedPhone = { ok: true; e164: string } | { ok: false; reason: "empty" | "invalid" };

// Separators people paste between digit groups; anything else (letters, "ext") is rejected.
const SEPARATORS = /[\s.\-()]/g;

/** Quick shape test to tell a phone from an email in a pasted list; not a validity check. */
export function isPhoneLike(input: string): boolean {
  const s = input.trim();
  return /^[+\d][\d\s.\-()]*$/.test(s) && /\d/.test(s);
}

function parseValid(digits: string, country: CountryCode | undefined): string | null {
  const parsed = parsePhoneNumberFromString(digits, country);
  return parsed?.isValid() ? parsed.number : null;
}

export function normalizePhone(input: string, defaultCountry: string): NormalizedPhone {
  const compact = input.replace(SEPARATORS, "");
  if (compact === "") return { ok: false, reason: "empty" };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: "invalid" };

  const upper = defaultCountry.toUpperCase();
  const country = isSupportedCountry(upper) ? upper : undefined;
  // libphonenumber only understands "00" as the default country's international prefix; most
  // countries use 00, but retry as "+" so "0033…" also works where the prefix differs.
  const e164 =
    parseValid(compact, country) ?? (compact.startsWith("00") ? parseValid(`+${compact.slice(2)}`, undefined) : null);
  return e164 ? { ok: true, e164 } : { ok: false, reason: "invalid" };
}

/** International human format ("+33 6 12 34 56 78"); returns the input if it cannot be parsed. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

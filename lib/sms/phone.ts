// Phone numbers for SMS recipients. Everything is stored and sent in E.164 ("+33612345678"):
// one spelling per number means the queue's (message, recipient) key dedupes correctly and the
// SMS gateway gets no national formats. People type numbers nationally for the site's country,
// so parsing takes that country as the default.
//
// The "max" metadata is used because it validates against each country's real number ranges;
// "min" only checks lengths and would accept numbers no operator can deliver to.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export const DEFAULT_COUNTRY = "FR";

export type NormalizedPhone = { ok: true; e164: string } | { ok: false; reason: "empty" | "invalid" | "not_mobile" };

/**
 * Kinds of numbers that cannot take an SMS: refused as recipients, so a send does not pay for
 * messages that go nowhere. Mobile, "fixed line or mobile" (North America), toll-free (text-enabled
 * in North America), personal, VoIP and numbers of unknown kind are accepted.
 */
const NO_SMS = new Set(["FIXED_LINE", "PREMIUM_RATE", "SHARED_COST", "UAN", "VOICEMAIL", "PAGER"]);

// Separators people paste between digit groups; anything else (letters, "ext") is rejected.
const SEPARATORS = /[\s.\-()]/g;

/** Quick shape test to tell a phone from an email in a pasted list; not a validity check. */
export function isPhoneLike(input: string): boolean {
  const s = input.trim();
  return /^[+\d][\d\s.\-()]*$/.test(s) && /\d/.test(s);
}

function parseValid(digits: string, country: CountryCode | undefined) {
  const parsed = parsePhoneNumberFromString(digits, country);
  return parsed?.isValid() ? parsed : null;
}

/**
 * France and its overseas departments share one national numbering plan under five calling
 * codes: from Paris a Réunion mobile is dialled 0692 12 34 56, as from Saint-Denis a Paris one is
 * 06 12 34 56 78. libphonenumber reads a national number for one calling code only, so a national
 * number that is not valid for the site's country is read for the others of its plan.
 */
const SHARED_NATIONAL_PLAN: readonly CountryCode[] = ["FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM"];

function parseNational(digits: string, country: CountryCode | undefined) {
  const parsed = parseValid(digits, country);
  // Only a number of the plan's length (nine digits, after its 0 or without it, as an SMSC gives
  // a sender): a shorter one is no number of the plan, and Saint-Pierre-et-Miquelon's six digits
  // would take it for theirs.
  if (parsed || !country || !/^0?\d{9}$/.test(digits) || !SHARED_NATIONAL_PLAN.includes(country)) return parsed;
  for (const other of SHARED_NATIONAL_PLAN) {
    const found = other === country ? null : parseValid(digits, other);
    if (found) return found;
  }
  return null;
}

/**
 * A number as typed (nationally for `defaultCountry`, or internationally) in E.164, if it is a
 * valid number that can receive SMS. `anyLine`: any valid number (the sender of a reply).
 */
export function normalizePhone(input: string, defaultCountry: string, options: { anyLine?: boolean } = {}): NormalizedPhone {
  const compact = input.replace(SEPARATORS, "");
  if (compact === "") return { ok: false, reason: "empty" };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: "invalid" };

  const upper = defaultCountry.toUpperCase();
  const country = isSupportedCountry(upper) ? upper : undefined;
  // libphonenumber only understands "00" as the default country's international prefix; most
  // countries use 00, but retry as "+" so "0033…" also works where the prefix differs.
  const parsed = parseNational(compact, country) ?? (compact.startsWith("00") ? parseValid(`+${compact.slice(2)}`, undefined) : null);
  if (!parsed) return { ok: false, reason: "invalid" };
  if (!options.anyLine && NO_SMS.has(parsed.getType() ?? "")) return { ok: false, reason: "not_mobile" };
  return { ok: true, e164: parsed.number };
}

/**
 * The sender of a reply in E.164, any valid line. "+…" is international. Bare digits are what an
 * SMSC gives when it does not say the number is international (TON 0 above all, smpp.ts): a
 * national number without its trunk prefix ("3471234567" in Italy, "2125550123" in the US) or a
 * full one without its "+" ("33612345678"). So the site's country reads them first, then the
 * international reading; of two valid readings, one that can send an SMS wins: "33612345678" is
 * a French mobile for a German site, not a landline there (0336 12345678).
 */
export function normalizeSender(from: string, defaultCountry: string): NormalizedPhone {
  const compact = from.replace(SEPARATORS, "");
  const readings = /^[1-9]\d*$/.test(compact) ? [compact, `+${compact}`] : [compact];
  for (const anyLine of [false, true]) {
    for (const reading of readings) {
      const phone = normalizePhone(reading, defaultCountry, { anyLine });
      if (phone.ok) return phone;
    }
  }
  return normalizePhone(compact, defaultCountry, { anyLine: true });
}

/** International human format ("+33 6 12 34 56 78"); returns the input if it cannot be parsed. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

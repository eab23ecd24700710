import type { Site } from "@/db/schema";
import { ActionError, type Msg } from "@/lib/actions/errors";
import { isSupportedCountry } from "libphonenumber-js/max";
import { normalizePhone } from "./phone";
import { phoneExamples } from "./phone-examples";

export type PhoneOptions = { anyLine?: boolean };

/**
 * The one rule for a mobile number typed in a form: nationally for the site's country or
 * internationally, in E.164 (the form an SMS send dedupes and the gateway takes); "" is no number
 * (null). An invalid one, or one that cannot take an SMS (a landline) unless `anyLine`, is the
 * problem errors.invalidPhone, quoting what was typed. A form's schema (phoneInput) and a handler
 * (typedPhone) both read numbers through it, so they cannot drift apart.
 */
export function phoneOrProblem(typed: string, country: string, locale: string, options: PhoneOptions = {}): { ok: true; e164: string | null } | { ok: false; problem: Msg } {
  const shown = typed.trim();
  if (!shown) return { ok: true, e164: null };
  const phone = normalizePhone(shown, country, options);
  return phone.ok ? { ok: true, e164: phone.e164 } : { ok: false, problem: invalidPhoneProblem(shown, country, locale) };
}

/**
 * errors.invalidPhone for `shown`. A number typed without its country code was read as one of the
 * site's country: the message names that country (in the reader's language) and says how to
 * type another country's number, for "06 10 20 30 77" refused on a Belgian site is a French
 * mobile typed nationally, which only the site's country can explain. Anything else (typed with
 * its country code, or with letters: no number at all) is just refused.
 */
export function invalidPhoneProblem(shown: string, country: string, locale: string): Msg {
  return { key: "errors.invalidPhone", values: { number: shown, ...whereRead([shown], country, locale) } };
}

/**
 * The values of a refusal that say where numbers were read (errors.invalidPhone, and
 * errors.invalidPhones for a pasted list, refused whole for its bad numbers): `read` is "national"
 * when one of the refused numbers is written as a national one of a country libphonenumber knows
 * (digits and separators, no 00 prefix), and then the message names `country` (in `locale`) and
 * shows another country's calling code (`other`) to say how such numbers are typed.
 */
export function whereRead(refused: string[], country: string, locale: string): { read: "national" | "other"; country: string; other: string } {
  const national = isSupportedCountry(country.toUpperCase()) && refused.some((n) => /^[\d\s.\-()]+$/.test(n) && !/^\D*00/.test(n));
  const examples = phoneExamples(country, locale);
  return { read: national ? "national" : "other", country: examples.country, other: examples.other };
}

/**
 * A number read in a handler (phoneOrProblem), refused on the `phone` field with the problem as
 * the form's answer too: for forms whose only typed field is the number (a subscriber's number,
 * an opt-out). Where a person types other fields too, read it in the schema (phoneInput,
 * lib/actions/phone-input.ts), so every field's error comes in one answer.
 */
export function typedPhone(typed: string, site: Pick<Site, "defaultCountry">, locale: string, options: PhoneOptions = {}): string | null {
  const phone = phoneOrProblem(typed, site.defaultCountry, locale, options);
  if (!phone.ok) throw new ActionError(phone.problem, "phone");
  return phone.e164;
}

import { isPhoneLike, normalizePhone } from "@/lib/sms/phone";
import { displayName, isEmail, normalizeEmail } from "./addresses";

/**
 * A pasted list of mobile numbers: one per line, or separated by commas or semicolons (not
 * spaces: `06 12 34 56 78` is one number); `Name <number>` keeps the number. National numbers
 * are read in the site's country. Returns distinct numbers in E.164 and what was refused, as
 * typed. Kept apart from addresses.ts so the browser never loads the phone metadata.
 */
export function parsePhoneList(text: string, country: string): { valid: string[]; invalid: string[] } {
  const valid = new Set<string>();
  const invalid: string[] = [];
  for (const raw of text.split(/[\n,;]+/)) {
    const piece = raw.trim();
    if (!piece) continue;
    const phone = normalizePhone(pastedNumber(piece), country);
    if (phone.ok) valid.add(phone.e164);
    else invalid.push(piece);
  }
  return { valid: [...valid], invalid };
}

/** The number of a pasted list's piece: `Name <number>` keeps the number, anything else is one. */
export function pastedNumber(piece: string): string {
  return /<([^<>]+)>/.exec(piece)?.[1] ?? piece;
}

// An apostrophe inside the local part is the address's own (o'brien@…); around it, a quote.
const EMAIL_IN_TEXT = /[^\s<>,;"'@]+(?:'[^\s<>,;"'@]+)*@[^\s<>,;"']+/g;
/** Longer pasted lines are refused unread (a person's line is short; this bounds the parsing). */
const MAX_LINE = 1_000;
const emailsIn = (text: string) => text.match(EMAIL_IN_TEXT) ?? [];

type PastedSubscriber = { email: string; name: string; phone: string | null };

/**
 * People pasted into a group, a line each: an address, with a name and a mobile number if
 * known, around it in any order (`Ann Martin <ann@example.org> 06 12 34 56 78`, a spreadsheet's
 * `Ann Martin⇥ann@example.org⇥+33 6 12 34 56 78`). A line that holds several addresses is a
 * list, split at commas and semicolons (each piece one person, `Name <address>` kept), then at
 * spaces. National numbers are read in `country`. What is refused comes back as typed, to be
 * corrected in place: a piece without an address, with a number that is no usable mobile, or
 * with other columns (a date, an id): nothing is dropped without a word.
 */
export function parsePastedSubscribers(text: string, country: string): { entries: PastedSubscriber[]; invalid: string[] } {
  const entries: PastedSubscriber[] = [];
  const invalid: string[] = [];
  const one = (piece: string) => {
    const entry = pastedSubscriber(piece, country);
    if (entry) entries.push(entry);
    else invalid.push(piece);
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.length > MAX_LINE) {
      invalid.push(line); // no one's line is this long: not read at all (given back whole)
      continue;
    }
    if (emailsIn(line).length <= 1) {
      one(line);
      continue;
    }
    for (const segment of line.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
      if (emailsIn(segment).length <= 1) one(segment);
      else segment.split(/\s+/).forEach(one);
    }
  }
  return { entries, invalid };
}

/** One person's piece of text: its address, and whatever is left as a name and a mobile number. */
function pastedSubscriber(piece: string, country: string): PastedSubscriber | null {
  const [written = ""] = emailsIn(piece);
  const email = normalizeEmail(written);
  if (!isEmail(email)) return null;
  const rest = piece.replace(written, " ").replace(/[<>]/g, " ").replace(/\s*[,;]\s*/g, " ").trim();
  const number = /(?:^|\s)(\+?[\d(][\d\s.\-()]{5,}\d)(?=\s|$)/.exec(rest);
  let phone: string | null = null;
  if (number) {
    const normalized = normalizePhone(number[1], country);
    if (!normalized.ok) return null;
    phone = normalized.e164;
  }
  // A quoted name before the address (`"Martin, Claire" <claire@…>`, as a mail client copies it)
  // is the name as written, its comma included, as the templates' pasted recipients keep it.
  const quoted = /^\s*("(?:[^"\\]|\\.)*")\s*</.exec(piece)?.[1];
  const name = displayName(quoted ?? (number ? rest.replace(number[1], " ") : rest).replace(/^["'\s]+|["'\s]+$/g, ""));
  // Digits too few for a number are a typo, not a name: alone ("06 12") or beside a name
  // ("Jo 06 12", a number cut short; "Ann 42", an id column), they refuse the line.
  return isPhoneLike(name) || hasStrayDigits(name) ? null : { email, name, phone };
}

/** A word of two digits or more and nothing but separators: part of a number, never of a name ("2e", "R2D2" are words). */
const hasStrayDigits = (name: string) => name.split(/\s+/).some((word) => isPhoneLike(word) && /\d\D*\d/.test(word));

/** A country code ("FR") by name in the screen's language, computed on the server so the page hydrates as rendered. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code; // not a well-formed region code
  }
}

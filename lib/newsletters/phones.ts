import { normalizePhone } from "@/lib/sms/phone";

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
    const number = /<([^<>]+)>/.exec(piece)?.[1] ?? piece;
    const phone = normalizePhone(number, country);
    if (phone.ok) valid.add(phone.e164);
    else invalid.push(piece);
  }
  return { valid: [...valid], invalid };
}

/** A country code ("FR") by name in the screen's language, computed on the server so the page hydrates as rendered. */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code; // not a well-formed region code
  }
}

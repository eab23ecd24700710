import { z } from "zod";

const email = z.email();

export const normalizeEmail = (value: string) => value.trim().toLowerCase();
export const isEmail = (value: string) => value.length <= 320 && email.safeParse(value).success;

/**
 * A pasted list: one address per line, or separated by commas, semicolons or spaces; a
 * `Name <address>` form keeps the address. Returns distinct valid addresses and what was refused.
 */
export function parseAddressList(text: string): { valid: string[]; invalid: string[] } {
  const valid = new Set<string>();
  const invalid: string[] = [];
  for (const raw of text.split(/[\n,;]+/)) {
    const piece = raw.trim();
    if (!piece) continue;
    const bracketed = /<([^<>]+)>/.exec(piece)?.[1];
    const candidates = bracketed ? [bracketed] : piece.split(/\s+/);
    for (const c of candidates) {
      const address = normalizeEmail(c);
      if (!address) continue;
      if (isEmail(address)) valid.add(address);
      else invalid.push(c);
    }
  }
  return { valid: [...valid], invalid };
}

import { z } from "zod";

const email = z.email();

/**
 * An address as stored and compared: trimmed, lower-cased, and an internationalised domain
 * (crème.fr) in the ASCII form mail travels in (xn--crme-6oa.fr), which the address check accepts.
 */
export function normalizeEmail(value: string) {
  const address = value.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  const domain = address.slice(at + 1);
  if (at < 0 || /^[\x00-\x7f]*$/.test(domain) || !/^[\p{L}\p{M}\p{N}.-]+$/u.test(domain)) return address;
  try {
    return `${address.slice(0, at)}@${new URL(`http://${domain}`).hostname}`;
  } catch {
    return address;
  }
}
export const isEmail = (value: string) => value.length <= 320 && email.safeParse(value).success;

/**
 * A pasted list's entries: split at line breaks, commas and semicolons, except inside double
 * quotes or angle brackets, so that `"Dupont, Jean" <jean@example.org>` stays one entry.
 */
function entries(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;
  for (const c of text) {
    if (c === '"' && !angled) quoted = !quoted;
    else if (c === "<" && !quoted) angled = true;
    else if (c === ">" && !quoted) angled = false;
    if (!quoted && !angled && (c === "\n" || c === "," || c === ";")) {
      out.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

/** The display name of `Name <address>` / `"Name" <address>`, on one line, or "" (quotes and backslash escapes undone). */
export function displayName(before: string): string {
  const name = before.trim().replace(/^"(.*)"$/s, "$1").replace(/\\(.)/g, "$1");
  return name.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
}

/**
 * A pasted list: one address per line, or separated by commas, semicolons or spaces; a
 * `Name <address>` form keeps the address and its name (for `{{name}}` and the To: header).
 * Returns distinct valid addresses, the names given for them, and what was refused.
 */
export function parseAddressList(text: string): { valid: string[]; invalid: string[]; names: Map<string, string> } {
  const valid = new Set<string>();
  const invalid: string[] = [];
  const names = new Map<string, string>();
  for (const raw of entries(text)) {
    const piece = raw.trim();
    if (!piece) continue;
    const bracketed = /^(.*)<([^<>]+)>\s*$/s.exec(piece);
    const candidates = bracketed ? [bracketed[2]] : piece.split(/\s+/);
    for (const c of candidates) {
      const address = normalizeEmail(c);
      if (!address) continue;
      if (!isEmail(address)) {
        invalid.push(c);
        continue;
      }
      valid.add(address);
      const name = bracketed ? displayName(bracketed[1]) : "";
      if (name && !names.has(address)) names.set(address, name);
    }
  }
  return { valid: [...valid], invalid, names };
}

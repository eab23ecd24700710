// Not marked "server-only": the queue's command-line scripts (tsx, outside Next) import it through
// lib/queue. node:url keeps it out of client bundles anyway (a client import fails the build).
import { domainToASCII, domainToUnicode } from "node:url";
import { normalizeEmail } from "@/lib/newsletters/addresses";

/*
 * Internationalised domains (crème.fr) are stored in the ASCII form mail and browsers use
 * (xn--crme-6oa.fr): normalizeEmail for addresses, lib/sites/schema.ts for site domains. People
 * typed the accented form, so the screens show that form back, and a search typed in it is
 * turned into the stored one. Server only (node:url): client components get display strings.
 *
 * CSV exports keep the stored ASCII form on purpose: the import reads both forms, and a file
 * re-saved by a spreadsheet in a legacy code page (Excel's "CSV" on Windows writes Windows-1252,
 * which the import also reads) would turn a Greek or Cyrillic domain into "?"s, and with it the
 * address; the ASCII form survives every encoding and every other tool the file goes to.
 */

const ACE_LABEL = /(?:^|\.)xn--/i;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A stored domain as people write it (xn--bcher-kva.example → bücher.example). Kept as stored
 * unless its Unicode form converts back to exactly it, so the shown form always stands for the
 * stored one (a malformed `xn--` label is shown as it is).
 */
export function shownDomain(domain: string): string {
  if (!ACE_LABEL.test(domain)) return domain;
  const unicode = domainToUnicode(domain);
  return unicode && domainToASCII(unicode) === domain ? unicode : domain;
}

/**
 * A stored address as people write it (ann@xn--crme-6oa.fr → ann@crème.fr). Kept as stored
 * unless normalizeEmail gives it back from the shown form, so the shown address can be typed
 * or sent back (erase dialog, import) and reach the same row.
 */
export function shownEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  if (!ACE_LABEL.test(domain)) return address;
  const unicode = domainToUnicode(domain);
  const shown = `${address.slice(0, at)}@${unicode}`;
  return unicode && normalizeEmail(shown) === address ? shown : address;
}

/**
 * A search typed against stored addresses (a prefix): lower-cased, and when it holds an "@", the
 * labels of its domain part that have letters beyond ASCII in their stored ASCII form, each
 * converted whole (`ann@crème` → `ann@xn--crme-6oa`, `ann@crème.f` → `ann@xn--crme-6oa.f`), so
 * the prefix range on the stored column still serves it.
 *
 * An accented label is read as complete: punycode writes a label's ASCII letters first and its
 * accents after, encoded against the whole label, so the start of an accented label has no
 * ASCII form that the full one starts with. `ann@crè` (typed on the way to crème) therefore finds
 * only a domain whose label is exactly "crè", and `ann@cr` only the domains written in ASCII that
 * start with it (not crème.fr, stored xn--crme-6oa.fr); `ann@` or the whole label finds it.
 * Without an "@" nothing is converted: a search of a bare word cannot tell a domain from a name.
 */
export function emailSearchText(q: string): string {
  const text = q.trim().toLowerCase();
  const at = text.lastIndexOf("@");
  if (at < 0 || !NON_ASCII.test(text.slice(at + 1))) return text;
  // Label by label: a whole-domain conversion fails on an empty label ("ann@crème..").
  const labels = text.slice(at + 1).split(".").map((label) => (NON_ASCII.test(label) ? domainToASCII(label) || label : label));
  return `${text.slice(0, at)}@${labels.join(".")}`;
}

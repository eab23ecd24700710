import { isLocale, LOCALE_COOKIE, locales, type Locale } from "./config";

/**
 * The language a visitor reads, for an answer that has no locale in its address: the one they
 * last used here (the cookie proxy.ts sets from the path), else the first language of their
 * browser (Accept-Language) that the app speaks, else `fallback` (the site's default).
 */
export function readerLocale(headers: Headers, fallback: Locale): Locale {
  const remembered = cookieValue(headers.get("cookie"), LOCALE_COOKIE);
  if (isLocale(remembered)) return remembered;
  return acceptedLocale(headers.get("accept-language")) ?? fallback;
}

/**
 * The language of the screen a server action was sent from: its path's locale, which proxy.ts
 * hands on in X-NEXT-INTL-LOCALE (an action posts to its page's address), else readerLocale.
 */
export function screenLocale(headers: Headers, fallback: Locale): Locale {
  const fromPath = headers.get("x-next-intl-locale");
  return isLocale(fromPath) ? fromPath : readerLocale(headers, fallback);
}

const WEIGHT = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

/** `en-GB,fr;q=0.8` → the app's locale with the highest weight (`en`), or null. */
export function acceptedLocale(header: string | null): Locale | null {
  const ranked = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      // "q=" is case-insensitive (RFC 9110 §12.4.2); a weight is 0 to 1 with at most 3 decimals.
      const q = params.map((p) => p.trim()).find((p) => /^q=/i.test(p))?.slice(2);
      return { lang: tag.split("-")[0].toLowerCase(), q: q === undefined ? 1 : WEIGHT.test(q) ? Number(q) : 0 };
    })
    // q=0 means "not this one"; a weight that does not parse is no preference either.
    .filter((r) => r.q > 0 && isLocale(r.lang))
    .sort((a, b) => b.q - a.q);
  return ranked.length ? (ranked[0].lang as Locale) : null;
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** A site's default locale when the app speaks it, else the app's first. */
export const siteLocale = (defaultLocale: string | null | undefined): Locale => (isLocale(defaultLocale) ? defaultLocale : locales[0]);

export const locales = ["fr", "en"] as const;
export type Locale = (typeof locales)[number];
export const isLocale = (v: unknown): v is Locale => typeof v === "string" && (locales as readonly string[]).includes(v);
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** Translation keys are dotted paths of letters, digits, `_` and `-` (next-intl reserves `.`). */
export const KEY_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

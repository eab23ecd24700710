export const locales = ["fr", "en"] as const;
export type Locale = (typeof locales)[number];
export const isLocale = (v: unknown): v is Locale => typeof v === "string" && (locales as readonly string[]).includes(v);
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** Translation keys are dotted paths of letters, digits, `_` and `-` (next-intl reserves `.`). */
export const KEY_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * A key the messages object can hold: of KEY_PATTERN, and no part named like a property every
 * object inherits (`__proto__`, `constructor`, `toString`…). Messages are nested plain objects
 * (React passes only those to the client): `__proto__.x` would write onto Object.prototype, for
 * every site of the process, and `toString.x` onto a shared function.
 */
export const usableKey = (key: string) => KEY_PATTERN.test(key) && key.split(".").every((part) => !(part in Object.prototype));

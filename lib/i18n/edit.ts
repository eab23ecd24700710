import { locales, type Locale } from "./config";
import { fileKeys, flatFileMessages } from "./messages";
import { removeOverride, setOverride, siteOverrides } from "./overrides";
import { keyConflict } from "./catalog";
import { ActionError } from "@/lib/actions/errors";

/**
 * Saves what the screen shows for a key. A value equal to the file's (or empty) removes the
 * override, so the file speaks again; anything else is stored for this site and locale.
 */
export async function saveTranslation(siteId: number, key: string, values: Partial<Record<Locale, string>>) {
  for (const locale of locales) {
    const value = values[locale];
    if (value === undefined) continue;
    const file = flatFileMessages(locale)[key];
    if (value === "" || value === file) await removeOverride(siteId, locale, key);
    else await setOverride(siteId, locale, key, value);
  }
}

/** Adds a key no file defines (e.g. `signup_opt7` creates subscriber group 7). */
export async function addTranslationKey(siteId: number, key: string, values: Partial<Record<Locale, string>>) {
  const overrides = await siteOverrides(siteId);
  const existing = new Set([...fileKeys(), ...locales.flatMap((l) => Object.keys(overrides[l]))]);
  const conflict = keyConflict(key, existing);
  if (conflict) throw new ActionError({ key: conflict === "exists" ? "errors.keyExists" : "errors.keyNamespace" }, "key");
  if (!locales.some((l) => values[l])) throw new ActionError({ key: "errors.translationRequired" }, locales[0]);
  for (const locale of locales) if (values[locale]) await setOverride(siteId, locale, key, values[locale]!);
}

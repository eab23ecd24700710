import { db } from "@/db/client";
import { ActionError } from "@/lib/actions/errors";
import { locales, type Locale } from "./config";
import { fileKeys, flatFileMessages } from "./messages";
import { removeOverride, setOverride, siteOverrides } from "./overrides";
import { keyConflict } from "./catalog";

async function knownKeys(siteId: number) {
  const overrides = await siteOverrides(siteId);
  return new Set([...fileKeys(), ...locales.flatMap((l) => Object.keys(overrides[l]))]);
}

/**
 * Saves what the screen shows for an existing key, every locale or none (one transaction). A
 * value equal to the file's (or empty) removes the override, so the file speaks again; anything
 * else is stored for this site and locale. New keys go through addTranslationKey and its checks.
 */
export async function saveTranslation(siteId: number, key: string, values: Partial<Record<Locale, string>>) {
  if (!(await knownKeys(siteId)).has(key)) throw new ActionError({ key: "errors.notFound" }, "key");
  await db.transaction(async (tx) => {
    for (const locale of locales) {
      const value = values[locale];
      if (value === undefined) continue;
      const file = flatFileMessages(locale)[key];
      if (value === "" || value === file) await removeOverride(siteId, locale, key, tx);
      else await setOverride(siteId, locale, key, value, tx);
    }
  });
}

/** Adds a key no file defines (e.g. `signup_opt7` creates subscriber group 7). */
export async function addTranslationKey(siteId: number, key: string, values: Partial<Record<Locale, string>>) {
  const conflict = keyConflict(key, await knownKeys(siteId));
  if (conflict) throw new ActionError({ key: conflict === "exists" ? "errors.keyExists" : "errors.keyNamespace" }, "key");
  if (!locales.some((l) => values[l])) throw new ActionError({ key: "errors.translationRequired" }, locales[0]);
  await db.transaction(async (tx) => {
    for (const locale of locales) if (values[locale]) await setOverride(siteId, locale, key, values[locale]!, tx);
  });
}

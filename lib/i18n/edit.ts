import { db } from "@/db/client";
import { ActionError } from "@/lib/actions/errors";
import { isUniqueViolation } from "@/lib/db-utils";
import { locales, usableKey, type Locale } from "./config";
import { fileKeys, flatFileMessages } from "./messages";
import { insertOverrides, removeOverride, setOverride, siteOverrides } from "./overrides";
import { keyConflict } from "./catalog";
import { lockGroupLabels, refuseDeletingGroupInUse } from "@/lib/newsletters/group-numbers";
import { overrideProblem } from "./placeholders";

async function knownKeys(siteId: number) {
  const overrides = await siteOverrides(siteId);
  return new Set([...fileKeys(), ...locales.flatMap((l) => Object.keys(overrides[l]))]);
}

/**
 * Refuses, on its field, the first locale whose text the pages could not format: one that does
 * not parse, or that uses an argument or tag the key's file message does not (see
 * overrideProblem). What was typed comes back.
 */
function checkMessages(key: string, values: Partial<Record<Locale, string>>) {
  const problems = locales.flatMap((locale) => {
    const problem = values[locale] ? overrideProblem(locale, key, values[locale]) : null;
    return problem ? [[locale, problem] as const] : [];
  });
  // Every language's problem in one answer, not one per save.
  if (problems.length) throw new ActionError(problems[0][1], problems[0][0], Object.fromEntries(problems));
}

/**
 * Saves what the screen shows for an existing key, every locale or none (one transaction). A
 * value equal to the file's (or empty) removes the override, so the file speaks again; anything
 * else is stored for this site and locale. New keys go through addTranslationKey and its checks.
 * Emptying a group's labels deletes the group: refused while people are still in it.
 */
export async function saveTranslation(siteId: number, key: string, values: Partial<Record<Locale, string>>) {
  if (!(await knownKeys(siteId)).has(key)) throw new ActionError({ key: "errors.notFound" }, "key");
  checkMessages(key, values);
  await db.transaction(async (tx) => {
    // A group's labels: whoever is putting people in it finishes first (lib/newsletters/group-numbers.ts).
    await lockGroupLabels(siteId, key, tx);
    for (const locale of locales) {
      const value = values[locale];
      if (value === undefined) continue;
      const file = flatFileMessages(locale)[key];
      if (value === "" || value === file) await removeOverride(siteId, locale, key, tx);
      else await setOverride(siteId, locale, key, value, tx);
    }
    await refuseDeletingGroupInUse(siteId, key, tx);
  });
}

/** Adds a key no file defines (e.g. `signup_opt7` creates subscriber group 7). */
export async function addTranslationKey(siteId: number, key: string, values: Partial<Record<Locale, string>>) {
  if (!usableKey(key)) throw new ActionError({ key: "errors.keyFormat" }, "key");
  // signup_opt07 is read as group 7, whose label is looked up under signup_opt7 (the group would
  // show its raw key); signup_opt0 as group 0, which the signup form offers and refuses.
  if (/^signup_opt0(\d|$)/.test(key)) throw new ActionError({ key: "errors.groupKeyNumber" }, "key");
  const conflict = keyConflict(key, await knownKeys(siteId));
  if (conflict) throw new ActionError({ key: conflict === "exists" ? "errors.keyExists" : "errors.keyNamespace" }, "key");
  checkNewKey(key, values);
  await insertOverrides(siteId, key, values).catch((error: unknown) => {
    // Another administrator added the same key since knownKeys read them.
    if (isUniqueViolation(error)) throw new ActionError({ key: "errors.keyExists" }, "key");
    throw error;
  });
}

/** What a new key's values must be: at least one, each a message its pages can format (checkMessages). */
export function checkNewKey(key: string, values: Partial<Record<Locale, string>>) {
  if (!locales.some((l) => values[l])) throw new ActionError({ key: "errors.translationRequired" }, locales[0]);
  checkMessages(key, values);
}

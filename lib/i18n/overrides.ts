import { and, eq, sql } from "drizzle-orm";
import { db, preparedStatement, type Database } from "@/db/client";
import { translationOverrides } from "@/db/schema";
import { locales, usableKey, type Locale } from "./config";

export type OverrideMap = Record<Locale, Record<string, string>>;

/** All overrides of a site, both locales, in one query (the table holds a few hundred rows per site). */
const overridesOfSite = preparedStatement((db) =>
  db
    .select({ locale: translationOverrides.locale, key: translationOverrides.key, value: translationOverrides.value })
    .from(translationOverrides)
    .where(eq(translationOverrides.siteId, sql.placeholder("siteId")))
    .prepare("site_overrides"),
);

export async function siteOverrides(siteId: number): Promise<OverrideMap> {
  const list = await overridesOfSite().execute({ siteId });
  const map: OverrideMap = { fr: {}, en: {} };
  // A key stored before usableKey was checked (or by hand) is left out: see usableKey.
  for (const o of list) if ((o.locale === "fr" || o.locale === "en") && usableKey(o.key)) map[o.locale][o.key] = o.value;
  return map;
}

/** The database, or a transaction the write joins. */
export type OverrideWriter = Pick<Database, "insert" | "delete">;

export async function setOverride(siteId: number, locale: Locale, key: string, value: string, tx: OverrideWriter = db) {
  await tx
    .insert(translationOverrides)
    .values({ siteId, locale, key, value })
    .onConflictDoUpdate({
      target: [translationOverrides.siteId, translationOverrides.locale, translationOverrides.key],
      set: { value, updatedAt: new Date() },
    });
}

/**
 * Stores the non-empty values of a key the site does not have yet. A plain insert: a key added
 * meanwhile by someone else fails with a unique violation instead of being overwritten.
 */
export async function insertOverrides(siteId: number, key: string, values: Partial<Record<Locale, string>>, tx: OverrideWriter = db) {
  const filled = locales.filter((locale) => values[locale]);
  await tx.insert(translationOverrides).values(filled.map((locale) => ({ siteId, locale, key, value: values[locale]! })));
}

export async function removeOverride(siteId: number, locale: Locale, key: string, tx: OverrideWriter = db) {
  await tx
    .delete(translationOverrides)
    .where(
      and(
        eq(translationOverrides.siteId, siteId),
        eq(translationOverrides.locale, locale),
        eq(translationOverrides.key, key),
      ),
    );
}

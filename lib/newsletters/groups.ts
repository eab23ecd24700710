import { and, eq, ne, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptionCounts, type Site, type SubscriptionStatus } from "@/db/schema";
import { locales, type Locale } from "@/lib/i18n/config";
import { fileKeys, flatFileMessages } from "@/lib/i18n/messages";
import { insertOverrides, siteOverrides, type OverrideMap } from "@/lib/i18n/overrides";
import { checkNewKey } from "@/lib/i18n/edit";
import { isUniqueViolation } from "@/lib/db-utils";
import { GROUP_KEY, groupKey, nextGroupId } from "./group-numbers";

export { GROUP_KEY, groupKey, nextGroupId } from "./group-numbers";

export type Group = { id: number; label: string; labels: Partial<Record<Locale, string>> };

/**
 * The site's subscriber groups, as in the original product: every translation key
 * `signup_opt<N>` (in messages/*.json or added in the internationalisation screen) is group N,
 * labelled in each locale. Overrides win over the files, like everywhere else. `known`: the
 * site's overrides when the caller has already read them.
 */
export async function listGroups(site: Pick<Site, "id" | "defaultLocale">, locale: Locale, known?: OverrideMap): Promise<Group[]> {
  const overrides = known ?? (await siteOverrides(site.id));
  const ids = new Set<number>();
  for (const key of [...fileKeys(), ...locales.flatMap((l) => Object.keys(overrides[l]))]) {
    const m = GROUP_KEY.exec(key);
    if (m) ids.add(Number(m[1]));
  }
  return [...ids]
    .sort((a, b) => a - b)
    .map((id) => {
      const key = groupKey(id);
      const labels: Partial<Record<Locale, string>> = {};
      for (const l of locales) {
        const value = overrides[l][key] ?? flatFileMessages(l)[key];
        if (value) labels[l] = value.trim();
      }
      const fallback = labels[site.defaultLocale as Locale] ?? Object.values(labels)[0] ?? key;
      return { id, labels, label: labels[locale] ?? fallback };
    });
}

export async function groupExists(site: Pick<Site, "id" | "defaultLocale">, id: number) {
  return (await listGroups(site, "fr")).some((g) => g.id === id);
}

/**
 * "New group": a number nothing refers to yet (nextGroupId), created by adding its label key.
 * Two admins creating a group at once would both read the same next number and write one
 * group: the site's group creations take turns on a transaction lock, so each one reads the
 * numbers the previous one wrote.
 */
export async function createGroup(site: Pick<Site, "id" | "defaultLocale">, labels: Partial<Record<Locale, string>>) {
  // Checked before the number is known: every group's label follows the same rule (plain text).
  checkNewKey(groupKey(0), labels);
  return claimNextGroup(site.id, labels).catch((error: unknown) => {
    // The translation editor's "add key" does not take turns: a signup_opt<N> added there just
    // now took the number. The next attempt reads it, and takes the one after.
    if (isUniqueViolation(error)) return claimNextGroup(site.id, labels);
    throw error;
  });
}

async function claimNextGroup(siteId: number, labels: Partial<Record<Locale, string>>) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`chora:groups:${siteId}`}, 0))`);
    const id = await nextGroupId(siteId, tx);
    await insertOverrides(siteId, groupKey(id), labels, tx);
    return id;
  });
}

export type StatusCounts = Record<SubscriptionStatus, number>;
const noCounts = (): StatusCounts => ({ unconfirmed: 0, confirmed: 0, unsubscribed: 0 });

/**
 * Subscriptions per group and status, for the Subscriptions screen: only the groups that have
 * some. Read from subscription_counts, which triggers on `subscriptions` keep current (migration
 * 0035): the same cost at a million subscriptions as at ten.
 */
export async function groupCounts(siteId: number): Promise<Map<number, StatusCounts>> {
  const found = await db
    .select({ groupId: subscriptionCounts.groupId, status: subscriptionCounts.status, n: subscriptionCounts.n })
    .from(subscriptionCounts)
    // A counter that fell to 0 stays: the group has no subscriptions left of that status.
    .where(and(eq(subscriptionCounts.siteId, siteId), ne(subscriptionCounts.n, 0)));
  const counts = new Map<number, StatusCounts>();
  for (const r of found) {
    const c = counts.get(r.groupId) ?? noCounts();
    c[r.status] = Number(r.n);
    counts.set(r.groupId, c);
  }
  return counts;
}

/** One group's subscriptions per status (its page), or null when it has none at all. */
export async function groupStatusCounts(siteId: number, groupId: number): Promise<StatusCounts | null> {
  const found = await db
    .select({ status: subscriptionCounts.status, n: subscriptionCounts.n })
    .from(subscriptionCounts)
    .where(and(eq(subscriptionCounts.siteId, siteId), eq(subscriptionCounts.groupId, groupId), ne(subscriptionCounts.n, 0)));
  if (found.length === 0) return null;
  const c = noCounts();
  for (const r of found) c[r.status] = Number(r.n);
  return c;
}

import { and, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Subscription } from "@/db/schema";
import { keysetPage, keysetSql, type KeysetOptions } from "@/lib/paging";

export type SubscriptionRow = Pick<Subscription, "id" | "email" | "phone" | "name" | "locale" | "status" | "source" | "consentAt" | "consentIp" | "consentText" | "confirmedAt" | "unsubscribedAt"> & {
  /** The number replied STOP (sms_opt_outs): SMS sends leave it out. */
  smsOptedOut: boolean;
};

/** One page, newest first, keyset-paginated on id (`after` = the last id seen, `before` = the first). */
export async function listSubscriptions(where: SQL, options: KeysetOptions<number> = {}): Promise<{ rows: SubscriptionRow[]; next: number | null; prev: number | null }> {
  return keysetPage(options, ({ cursor, back, take }) => subscriptionsBeyond(where, cursor, back, take), (r) => r.id);
}

/** The subscriptions on one side of a cursor, nearest first (lib/paging.ts). */
function subscriptionsBeyond(where: SQL, cursor: number | undefined, back: boolean, take: number): Promise<SubscriptionRow[]> {
  const k = keysetSql("desc", back);
  // The page first (subscriptions_site_group_id_idx walks the group in id order), then the
  // opt-out flag for its rows only: asked inside the page's query, the planner hashed the whole
  // sms_opt_outs table for each page instead of probing its key a few dozen times.
  const page = db
    .select({
      id: subscriptions.id,
      siteId: subscriptions.siteId,
      email: subscriptions.email,
      phone: subscriptions.phone,
      name: subscriptions.name,
      locale: subscriptions.locale,
      status: subscriptions.status,
      source: subscriptions.source,
      consentAt: subscriptions.consentAt,
      consentIp: subscriptions.consentIp,
      consentText: subscriptions.consentText,
      confirmedAt: subscriptions.confirmedAt,
      unsubscribedAt: subscriptions.unsubscribedAt,
    })
    .from(subscriptions)
    .where(cursor === undefined ? where : and(where, sql`${subscriptions.id} ${k.beyond} ${cursor}`))
    .orderBy(sql`${subscriptions.id} ${k.nearest}`)
    .limit(take)
    .as("page");
  return db
    .select({
      id: page.id,
      email: page.email,
      phone: page.phone,
      name: page.name,
      locale: page.locale,
      status: page.status,
      source: page.source,
      consentAt: page.consentAt,
      consentIp: page.consentIp,
      consentText: page.consentText,
      confirmedAt: page.confirmedAt,
      unsubscribedAt: page.unsubscribedAt,
      // Qualified by hand: Drizzle writes a lone source's columns unqualified, which inside the
      // subquery would name the opt-out's own columns.
      smsOptedOut: sql<boolean>`exists (select 1 from sms_opt_outs o where o.site_id = "page"."site_id" and o.phone = "page"."phone")`,
    })
    .from(page)
    .orderBy(sql`${page.id} ${k.nearest}`);
}

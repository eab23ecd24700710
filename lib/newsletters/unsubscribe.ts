import { and, eq, ne, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { signupConfirmations, subscriberKeys, subscriptions } from "@/db/schema";

export type Unsubscriber = { siteId: number; email: string; suppressed: boolean; subscriptions: { groupId: number; status: string }[] };

/** Who an unsubscribe token belongs to, with their subscriptions; null for an unknown token. */
export async function findByToken(token: string): Promise<Unsubscriber | null> {
  if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return null;
  const [key] = await db.select().from(subscriberKeys).where(eq(subscriberKeys.token, token)).limit(1);
  if (!key) return null;
  const subs = await db
    .select({ groupId: subscriptions.groupId, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, key.siteId), eq(subscriptions.email, key.email)))
    .orderBy(subscriptions.groupId);
  return { siteId: key.siteId, email: key.email, suppressed: !!key.suppressedAt, subscriptions: subs };
}

/**
 * Leaves everything: every subscription of the address on the site becomes `unsubscribed` and
 * the address is suppressed, so no newsletter reaches it again through any group or pasted
 * list until it confirms a new signup. This is what the RFC 8058 one-click POST does.
 * Every confirmation link mailed before dies too, also for a subscription that was already
 * unsubscribed (a signup typed after it left keeps it unsubscribed, with a link).
 */
export async function unsubscribeAll(token: string): Promise<Unsubscriber | null> {
  const who = await findByToken(token);
  if (!who) return null;
  const now = new Date();
  await db.transaction(async (tx) => {
    // Links first, then subscriptions: the order confirmSubscription locks them in (no deadlock).
    await tx.delete(signupConfirmations).where(and(eq(signupConfirmations.siteId, who.siteId), eq(signupConfirmations.email, who.email)));
    await tx.update(subscriberKeys).set({ suppressedAt: now }).where(eq(subscriberKeys.token, token));
    await tx
      .update(subscriptions)
      .set({
        status: "unsubscribed",
        // Left earlier: the date it left stays.
        unsubscribedAt: sql`case when ${subscriptions.status} = 'unsubscribed' then ${subscriptions.unsubscribedAt} else ${now.toISOString()}::timestamptz end`,
        updatedAt: now,
      })
      .where(and(eq(subscriptions.siteId, who.siteId), eq(subscriptions.email, who.email), ne(subscriptions.status, "unsubscribed")));
  });
  return findByToken(token);
}

/** Leaves one group only; the other groups keep sending. `now` is the leaving time recorded. */
export async function unsubscribeGroup(token: string, groupId: number, now = new Date()): Promise<Unsubscriber | null> {
  const who = await findByToken(token);
  if (!who) return null;
  await db.transaction(async (tx) => {
    // A link mailed before no longer confirms this group; the others it was sent for, it still
    // does. Links first, then subscriptions: the order confirmSubscription locks them in.
    await tx
      .update(signupConfirmations)
      .set({ groupIds: sql`array_remove(${signupConfirmations.groupIds}, ${groupId}::int)` })
      .where(and(eq(signupConfirmations.siteId, who.siteId), eq(signupConfirmations.email, who.email)));
    await tx
      .update(subscriptions)
      // Left earlier: the date it left stays (as unsubscribeAll keeps it), and no undo ticket is given.
      .set({ status: "unsubscribed", unsubscribedAt: sql`case when ${subscriptions.status} = 'unsubscribed' then ${subscriptions.unsubscribedAt} else ${now.toISOString()}::timestamptz end`, updatedAt: now })
      .where(and(eq(subscriptions.siteId, who.siteId), eq(subscriptions.email, who.email), eq(subscriptions.groupId, groupId)));
  });
  return findByToken(token);
}

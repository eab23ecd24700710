import { createHmac } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { erasedSubscribers, signupConfirmations, subscriberKeys, subscriptions } from "@/db/schema";
import { env } from "@/lib/env";
import { cancelUnsent } from "@/lib/queue/manage";
import { normalizeEmail } from "./addresses";

/**
 * The only trace an erased address leaves (erased_subscribers). Keyed with the app's secret,
 * unlike a plain SHA-256: whoever reads the table cannot test it against a list of addresses
 * without the secret too. A new AUTH_SECRET forgets every erased address (they can be added again).
 */
export const erasedHash = (email: string) => createHmac("sha256", env.AUTH_SECRET).update(`erased:${normalizeEmail(email)}`).digest("base64url");

/** Which of these addresses (normalised) were erased from the site. */
export async function erasedAmong(siteId: number, emails: string[], tx: Pick<typeof db, "select"> = db): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const byHash = new Map(emails.map((e) => [erasedHash(e), e]));
  const found = await tx
    .select({ hash: erasedSubscribers.emailHash })
    .from(erasedSubscribers)
    .where(and(eq(erasedSubscribers.siteId, siteId), inArray(erasedSubscribers.emailHash, [...byHash.keys()])));
  return new Set(found.map((f) => byHash.get(f.hash)!));
}

export type Erasure = { subscriptions: number; replies: number };

/**
 * "Erase this person" (right to erasure): every subscription of the address on the site (all
 * groups, every status, with its name, number and consent record), the confirmation links
 * mailed to it and its unsubscribe key go;
 * the SMS replies of its numbers go too, unless another subscription of the site still has the
 * number (a shared phone is not only this person's). What is kept:
 * - the keyed hash of the address, so that adding it without the person's own action is refused;
 * - sms_opt_outs: a STOP is the number's own objection to SMS, holds nothing but the number,
 *   keyword and date, and is the only thing that keeps a later pasted or imported number from
 *   being texted (the opt-out screen can still remove it);
 * - queue rows: those already sent are the delivery record; newsletter emails still waiting are
 *   stopped when their turn comes (leftTheAudience, which reads the hash), a retry included;
 *   group SMS still waiting for its numbers are cancelled now, since once the subscriptions are
 *   gone nothing ties those numbers to the person any more (unless another subscription of the
 *   site still has the number).
 */
export async function eraseSubscriber(siteId: number, email: string, actor: string): Promise<Erasure> {
  const address = normalizeEmail(email);
  return db.transaction(async (tx) => {
    // Links first, then subscriptions: the order confirmSubscription locks them in (no deadlock).
    await tx.delete(signupConfirmations).where(and(eq(signupConfirmations.siteId, siteId), eq(signupConfirmations.email, address)));
    const gone = await tx
      .delete(subscriptions)
      .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.email, address)))
      .returning({ phone: subscriptions.phone });
    await tx.delete(subscriberKeys).where(and(eq(subscriberKeys.siteId, siteId), eq(subscriberKeys.email, address)));
    const phones = [...new Set(gone.map((g) => g.phone).filter((p): p is string => !!p))];
    const replies = await deleteRepliesOf(tx, siteId, phones);
    await cancelGroupSmsTo(tx, siteId, phones, actor);
    await tx
      .insert(erasedSubscribers)
      .values({ siteId, emailHash: erasedHash(address) })
      .onConflictDoUpdate({ target: [erasedSubscribers.siteId, erasedSubscribers.emailHash], set: { erasedAt: sql`now()` } });
    return { subscriptions: gone.length, replies };
  });
}

/** Deletes the site's SMS replies from these numbers, but not from one another subscription still has. */
async function deleteRepliesOf(tx: Pick<typeof db, "execute">, siteId: number, phones: string[]): Promise<number> {
  if (phones.length === 0) return 0;
  return rows(
    await tx.execute(sql`
      delete from sms_replies r
       where r.site_id = ${siteId} and r.phone in (select value from jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))
         and not exists (select 1 from subscriptions s where s.site_id = r.site_id and s.phone = r.phone)
      returning r.id`),
  ).length;
}

/** Cancels the site's newsletter SMS still waiting for these numbers, but not to one another subscription still has. */
async function cancelGroupSmsTo(tx: Pick<typeof db, "execute">, siteId: number, phones: string[], actor: string) {
  if (phones.length === 0) return;
  await cancelUnsent(
    sql`site_id = ${siteId} and channel = 'sms' and recipient in (select value from jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))
      and message_id in (select n.message_id from newsletter_sends n where n.site_id = ${siteId} and n.message_id is not null)
      and not exists (select 1 from subscriptions s where s.site_id = ${siteId} and s.phone = queue.recipient)`,
    actor,
    tx,
  );
}

/** The person confirmed a signup of their own: the address may be added again like any other. */
export async function liftErasure(siteId: number, email: string, tx: Pick<typeof db, "delete"> = db) {
  await tx.delete(erasedSubscribers).where(and(eq(erasedSubscribers.siteId, siteId), eq(erasedSubscribers.emailHash, erasedHash(email))));
}

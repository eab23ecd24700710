import { createHmac } from "node:crypto";
import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { erasedSubscribers, rateLimits, signupConfirmations, subscriberKeys, subscriptions } from "@/db/schema";
import { env } from "@/lib/env";
import { cancelUnsent } from "@/lib/queue/manage";
import { ERASED_RECIPIENT_PREFIX } from "@/lib/queue/erased-recipient";
import { ERASED_NOTE } from "@/lib/queue/notes";
import { normalizeEmail } from "./addresses";

/**
 * The only trace an erased address leaves (erased_subscribers). Keyed with the app's secret,
 * unlike a plain SHA-256: whoever reads the table cannot test it against a list of addresses
 * without the secret too. A new AUTH_SECRET forgets every erased address (they can be added again).
 */
export const erasedHash = (email: string) => createHmac("sha256", env.AUTH_SECRET).update(`erased:${normalizeEmail(email)}`).digest("base64url");

/**
 * The keyed hash an erased person's mobile number (E.164) is kept by, in erased_subscribers
 * beside the addresses' (its own prefix: it never equals an address's). Kept so that no list
 * brings the number back for another address: the person asked not to be reached again.
 */
export const erasedPhoneHash = (phone: string) => createHmac("sha256", env.AUTH_SECRET).update(`erased-phone:${phone}`).digest("base64url");

/** Which of `values` erased_subscribers holds for the site, each known by its `hash` (erasedHash, erasedPhoneHash). */
async function erasedOf(siteId: number, values: string[], hash: (value: string) => string, tx: Pick<typeof db, "select">): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const byHash = new Map(values.map((v) => [hash(v), v]));
  const found = await tx
    .select({ hash: erasedSubscribers.emailHash })
    .from(erasedSubscribers)
    .where(and(eq(erasedSubscribers.siteId, siteId), inArray(erasedSubscribers.emailHash, [...byHash.keys()])));
  return new Set(found.map((f) => byHash.get(f.hash)!));
}

/** Which of these numbers (E.164) belonged to someone erased from the site. */
export const erasedPhonesAmong = (siteId: number, phones: string[], tx: Pick<typeof db, "select"> = db) => erasedOf(siteId, phones, erasedPhoneHash, tx);

/** Which of these addresses (normalised) were erased from the site. */
export const erasedAmong = (siteId: number, emails: string[], tx: Pick<typeof db, "select"> = db) => erasedOf(siteId, emails, erasedHash, tx);

/**
 * What erasing `email` would find on the site, said by the erase dialog before it asks: its
 * subscriptions (every group, every status) and whether it was erased before. An address with
 * none is often a typo, which erasing would put on the do-not-contact list all the same.
 */
export async function erasureFindings(siteId: number, email: string): Promise<{ subscriptions: number; erased: boolean }> {
  const address = normalizeEmail(email);
  const [[found], erased] = await Promise.all([
    db.select({ n: count() }).from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.email, address))),
    erasedAmong(siteId, [address]),
  ]);
  return { subscriptions: found?.n ?? 0, erased: erased.has(address) };
}

export type Erasure = { subscriptions: number; replies: number };

/**
 * "Erase this person" (right to erasure): every subscription of the address on the site (all
 * groups, every status, with its name, number and consent record), the confirmation links
 * mailed to it and its unsubscribe key go;
 * the SMS replies of its numbers go too, unless another subscription of the site still has the
 * number (a shared phone is not only this person's). What is kept:
 * - the keyed hash of the address, so that adding it without the person's own action is refused;
 * - the keyed hash of each of its numbers (erasedPhoneHash), so that no add, paste, import or
 *   pasted SMS list texts them again under another address. A number another subscription
 *   still has stays with that one (its own consent), but is given to no one new;
 * - sms_opt_outs: a STOP is the number's own objection to SMS, holds nothing but the number,
 *   keyword and date, and is the only thing that keeps a later pasted or imported number from
 *   being texted (the opt-out screen can still remove it);
 * - queue rows already sent: they are the delivery record. Those still waiting for the address
 *   or its numbers are cancelled now, and those that ended unsent forget the recipient
 *   (cancelAndScrubUnsent); a newsletter queued at the very moment of the erasure is still
 *   stopped when its turn comes (leftTheAudience and numbersLeftTheAudience, which read the
 *   hashes), and so is a sent row retried or set back to pending later. Numbers another
 *   subscription of the site still has are left alone.
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
    // The signup form's count of confirmation emails to the address (lib/newsletters/signup.ts) names it too.
    await tx.delete(rateLimits).where(eq(rateLimits.key, `signup:mail:${siteId}:${address}`));
    const phones = [...new Set(gone.map((g) => g.phone).filter((p): p is string => !!p))];
    const replies = await deleteRepliesOf(tx, siteId, phones);
    await cancelAndScrubUnsent(tx, siteId, address, phones, actor);
    await tx
      .insert(erasedSubscribers)
      .values([{ siteId, emailHash: erasedHash(address) }, ...phones.map((p) => ({ siteId, emailHash: erasedPhoneHash(p) }))])
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

/**
 * The site's messages to the person that never reached them: newsletters and signup
 * confirmations to the address, newsletter SMS and answers to replies to its own numbers (not one
 * another subscription still has). Those still waiting are cancelled; then every one of them that
 * ended without being sent (an error, cancelled included), or is being sent at this moment,
 * forgets its recipient, name and per-person values: unlike a sent row, it is no one's delivery
 * record. The row, its history and
 * the message stay, so the send's counts do not change.
 */
async function cancelAndScrubUnsent(tx: Pick<typeof db, "execute">, siteId: number, address: string, phones: string[], actor: string) {
  // The recipient condition up front as well, so that (site_id, recipient) serves the search:
  // through the site's pending and failed rows instead, an erasure read 500,000 rows of a large
  // site's newsletter (510 ms against 0.24 ms, EXPLAIN ANALYZE at a million rows).
  const recipients = JSON.stringify([address, ...phones]);
  const theirs = sql`site_id = ${siteId} and recipient = any(array(select jsonb_array_elements_text(${recipients}::jsonb)))
    and (
      (channel = 'email' and recipient = ${address}
        and message_id in (select m.id from outbound_messages m where m.site_id = ${siteId} and m.kind in ('newsletter', 'subscription_confirm')))
      or (channel = 'sms' and recipient in (select value from jsonb_array_elements_text(${JSON.stringify(phones)}::jsonb))
        and message_id in (select m.id from outbound_messages m where m.site_id = ${siteId} and m.kind in ('newsletter', 'sms_reply'))
        and not exists (select 1 from subscriptions s where s.site_id = ${siteId} and s.phone = queue.recipient)))`;
  // Every row of theirs the two statements below change is locked first, in id order as the
  // queue's other writers of many rows lock them (lib/queue/manage.ts, renewRows), before the cancel takes the queue's
  // counters (migration 0040's trigger), which stay locked until this transaction commits. Locked
  // only by the scrub, a failed row could be held by a resend of the site's errors, which waits at
  // the end of its statement for the counters held here: each waited for the other (a deadlock).
  // Rows being sent are locked and scrubbed too (below): the outcome that ends them then finds no
  // one to retry or defer to (lib/queue/record.ts), where a temporary failure written after this
  // commit would have left them retryable to the person, with their address.
  await tx.execute(sql`select id from queue where ${theirs} and status in ('pending', 'error', 'sending') order by id for update`);
  await cancelUnsent(theirs, actor, tx, ERASED_NOTE);
  // Never sent (a failed resend of a sent row keeps its sent_at, an undelivered SMS was sent):
  // those are delivery records. Provider answers and the queue's notes often quote the address
  // or number ("550 <ann@…>", "+336… is not…"): the row's error and history say "[erased]".
  const hide = (column: SQL, recipient: SQL) => sql`replace(replace(${column}, ${recipient}, '[erased]'), ltrim(${recipient}, '+'), '[erased]')`;
  await tx.execute(sql`
    with unsent as (
      select id, recipient from queue where ${theirs} and status in ('error', 'sending') and sent_at is null order by id for update
    ), scrubbed as (
      -- Not retryable: a row a runner failed (transient) after the cancel above has no one left
      -- to go to; retried, it would only fail on "erased-<id>". A row being sent keeps its flag:
      -- changing it would move the row between the queue's counters (migration 0040) in this
      -- second statement, after the cancel took others, an order a claim taking the same
      -- messages' counters sorted could deadlock with; its outcome ends it final anyway
      -- (lib/queue/record.ts), so only recipient, name and values change and no counter moves.
      update queue q set recipient = ${ERASED_RECIPIENT_PREFIX} || q.id, recipient_name = '', variables = '{}'::jsonb, updated_at = now(),
             retryable = case when q.status = 'sending' then q.retryable else false end,
             last_error = ${hide(sql`q.last_error`, sql`unsent.recipient`)}
        from unsent where q.id = unsent.id
      returning q.id, unsent.recipient
    )
    update queue_events e set error = ${hide(sql`e.error`, sql`s.recipient`)}
      from scrubbed s where e.queue_id = s.id and e.error is not null`);
}

/** The person confirmed a signup of their own: the address may be added again like any other. */
export async function liftErasure(siteId: number, email: string, tx: Pick<typeof db, "delete"> = db) {
  await tx.delete(erasedSubscribers).where(and(eq(erasedSubscribers.siteId, siteId), eq(erasedSubscribers.emailHash, erasedHash(email))));
}

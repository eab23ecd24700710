import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { smsInboundParts } from "@/db/schema";
import type { SmsPartInfo } from "./smpp";

/**
 * A long SMS reaches an SMPP account as several deliver_sm, each one part with the same
 * reference; Twilio joins them itself. The parts wait in sms_inbound_parts (in PostgreSQL, not
 * in memory: a restart between two parts, or parts delivered to two processes bound on the
 * same login, must still give one message) until the last one arrives.
 */

/** How long the first parts wait for the rest before they are kept as they are. */
export const PART_PATIENCE_MINUTES = 10;

/** What shows where a part never came. */
export const MISSING_PART = "[…]";

type Key = { account: string; sender: string; recipient: string; ref: number; total: number };
const sameMessage = (k: Key) =>
  sql`account = ${k.account} and sender = ${k.sender} and recipient = ${k.recipient} and ref = ${k.ref} and total = ${k.total}`;

/**
 * Keeps one part; once every part of its message is in, takes them all and returns the whole
 * text, else null. A part delivered twice is kept once. One lock per message (a transaction
 * advisory lock on its key) makes the last two parts, arriving at once, join exactly once.
 */
export async function joinSmsPart(account: string, sms: { from: string; to: string; text: string; part: SmsPartInfo }): Promise<string | null> {
  const key: Key = { account, sender: sms.from, recipient: sms.to, ref: sms.part.ref, total: sms.part.total };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify(key)}, 0))`);
    await tx.insert(smsInboundParts).values({ ...key, seq: sms.part.seq, text: sms.text.replace(/\0/g, "") }).onConflictDoNothing();
    const [{ n }] = rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from sms_inbound_parts where ${sameMessage(key)}`));
    if (n < key.total) return null;
    const parts = rows<{ seq: number; text: string }>(await tx.execute(sql`delete from sms_inbound_parts where ${sameMessage(key)} returning seq, text`));
    return joinParts(parts, key.total);
  });
}

/** The parts in order; a part that never came is shown as MISSING_PART. */
function joinParts(parts: { seq: number; text: string }[], total: number): string {
  const bySeq = new Map(parts.map((p) => [Number(p.seq), p.text]));
  return Array.from({ length: total }, (_, i) => bySeq.get(i + 1) ?? MISSING_PART).join("");
}

/**
 * Messages whose latest part is older than `minutes`: their parts are taken and joined as they
 * are, gaps marked, so that what the person wrote is not lost for want of one part.
 */
export async function takeStaleMessages(minutes = PART_PATIENCE_MINUTES): Promise<{ account: string; sender: string; recipient: string; text: string }[]> {
  const taken = rows<Key & { seq: number; text: string }>(
    await db.execute(sql`
      delete from sms_inbound_parts p
       using (select account, sender, recipient, ref, total from sms_inbound_parts
               group by account, sender, recipient, ref, total
              having max(received_at) < now() - make_interval(mins => ${minutes})) stale
       where p.account = stale.account and p.sender = stale.sender and p.recipient = stale.recipient
         and p.ref = stale.ref and p.total = stale.total
      returning p.account, p.sender, p.recipient, p.ref, p.total, p.seq, p.text`),
  );
  const messages = new Map<string, { key: Key; parts: { seq: number; text: string }[] }>();
  for (const row of taken) {
    const key: Key = { account: row.account, sender: row.sender, recipient: row.recipient, ref: Number(row.ref), total: Number(row.total) };
    const id = JSON.stringify(key);
    const message = messages.get(id) ?? messages.set(id, { key, parts: [] }).get(id)!;
    message.parts.push({ seq: row.seq, text: row.text });
  }
  return [...messages.values()].map(({ key, parts }) => ({ account: key.account, sender: key.sender, recipient: key.recipient, text: joinParts(parts, key.total) }));
}

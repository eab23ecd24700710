import { inArray, sql } from "drizzle-orm";
import { db, rows, type Transaction } from "@/db/client";
import { smsInboundParts } from "@/db/schema";
import type { SmsPartInfo } from "./smpp";

/**
 * A long SMS reaches an SMPP account as several deliver_sm, each one part with the same
 * reference; Twilio joins them itself. The parts wait in sms_inbound_parts (in PostgreSQL, not
 * in memory: a restart between two parts, or parts delivered to two processes bound on the
 * same login, must still give one message) until the last one arrives. Every change to one
 * message's parts holds a transaction advisory lock on its key, so two processes never join,
 * or give up on, the same message twice. Parts are taken in the caller's transaction, the one
 * that stores the message: if storing it fails, they were never taken, and wait on as before.
 */

/** How long the first parts wait for the rest before they are kept as they are. */
export const PART_PATIENCE_MINUTES = 10;
/**
 * Parts of one message come seconds apart; a part that comes longer than this after the latest
 * waiting one starts another message with the same reference (8-bit references wrap, some SMSCs
 * give none), which must not be spliced with their leftover. Long enough for an SMSC to deliver
 * again, soon after, a part we answered "try again", so that it still completes its message.
 */
export const PART_GAP_MINUTES = 2;

/** How long the parts of a joined message are remembered, so that one delivered again is known. */
export const JOINED_MEMORY_MINUTES = 60;

/** What shows where parts never came. */
export const MISSING_PART = "[…]";

export type PartKey = { account: string; sender: string; recipient: string; ref: number; total: number };
/** A message taken from the waiting parts: its key and its text. */
export type TakenMessage = { key: PartKey; text: string };

type PartRow = { seq: number; utf16: string };

const sameMessage = (k: PartKey) =>
  sql`account = ${k.account} and sender = ${k.sender} and recipient = ${k.recipient} and ref = ${k.ref} and total = ${k.total}`;
const lockMessage = (k: PartKey) => sql`select pg_advisory_xact_lock(hashtextextended(${JSON.stringify([k.account, k.sender, k.recipient, k.ref, k.total])}, 0))`;
const utf16 = (text: string) => Buffer.from(text.replace(/\0/g, ""), "utf16le").toString("base64");

/** Marks the message's waiting parts joined and returns them; with `staleMinutes`, only if the latest is that old. */
async function claimWaiting(tx: Transaction, key: PartKey, staleMinutes?: number): Promise<TakenMessage | null> {
  const stale = staleMinutes === undefined ? sql`true` : sql`(select max(received_at) from sms_inbound_parts where ${sameMessage(key)} and joined_at is null) < now() - make_interval(mins => ${staleMinutes})`;
  const parts = rows<PartRow>(
    await tx.execute(sql`update sms_inbound_parts set joined_at = now() where ${sameMessage(key)} and joined_at is null and ${stale} returning seq, utf16`),
  );
  return parts.length ? { key, text: joinParts(parts, key.total) } : null;
}

/**
 * Keeps one part. Returns `whole` once every part of its message is in, and `abandoned` when
 * this part shows that an earlier message with the same reference will never be completed (the
 * sender's reference wrapped round, or the SMSC gives none): it takes the place of a waiting
 * part with another text, or comes more than PART_GAP_MINUTES after the latest waiting part.
 * That earlier message is to be kept as it is.
 * A part delivered again after its message was joined changes nothing; while its message waits,
 * it is not kept twice, and completes the message if every part is in (the SMSC delivers the
 * last part again when storing the message failed and `tx` rolled back). `tx` is to store what
 * this returns before it commits.
 */
export async function joinSmsPart(
  tx: Transaction,
  account: string,
  sms: { from: string; to: string; text: string; part: SmsPartInfo },
): Promise<{ whole: TakenMessage | null; abandoned: TakenMessage | null }> {
  const key: PartKey = { account, sender: sms.from, recipient: sms.to, ref: sms.part.ref, total: sms.part.total };
  const encoded = utf16(sms.text);
  await tx.execute(lockMessage(key));
  const [existing] = rows<{ id: number; utf16: string; joined: boolean }>(
    await tx.execute(sql`select id, utf16, joined_at is not null as joined from sms_inbound_parts where ${sameMessage(key)} and seq = ${sms.part.seq}`),
  );
  let abandoned: TakenMessage | null = null;
  const again = existing?.utf16 === encoded;
  if (again) {
    if (existing.joined) return { whole: null, abandoned: null };
    // Delivered again while its message waits: when storing the joined message failed (its
    // transaction rolled back) and the SMSC was told to retry, this completes it now.
  } else {
    // Parts that have waited since long before this one belong to an earlier message whose
    // missing part will never come (this one landing on a free place proves nothing).
    abandoned = await claimWaiting(tx, key, PART_GAP_MINUTES);
    if (existing) {
      // Another text at this place: a new message with the same reference.
      if (!existing.joined && !abandoned) abandoned = await claimWaiting(tx, key);
      await tx.delete(smsInboundParts).where(inArray(smsInboundParts.id, [Number(existing.id)]));
    }
  }
  if (!again) await tx.insert(smsInboundParts).values({ ...key, seq: sms.part.seq, utf16: encoded });
  const [{ n }] = rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from sms_inbound_parts where ${sameMessage(key)} and joined_at is null`));
  return { whole: n >= key.total ? await claimWaiting(tx, key) : null, abandoned };
}

/**
 * Messages whose latest part is older than `minutes`: each to be taken (takeStaleMessage) and
 * kept as it is, gaps marked, so that what the person wrote is not lost for want of one part.
 * Also forgets joined parts older than JOINED_MEMORY_MINUTES.
 */
export async function staleMessageKeys(minutes = PART_PATIENCE_MINUTES): Promise<PartKey[]> {
  await db.execute(sql`delete from sms_inbound_parts where joined_at < now() - make_interval(mins => ${JOINED_MEMORY_MINUTES})`);
  const keys = rows<PartKey>(
    await db.execute(sql`
      select account, sender, recipient, ref, total from sms_inbound_parts where joined_at is null
       group by account, sender, recipient, ref, total
      having max(received_at) < now() - make_interval(mins => ${minutes})
       limit 1000`),
  );
  return keys.map((row) => ({ ...row, ref: Number(row.ref), total: Number(row.total) }));
}

/** Takes the parts of a message staleMessageKeys found, under its lock, unless a part came meanwhile. */
export async function takeStaleMessage(tx: Transaction, key: PartKey, minutes = PART_PATIENCE_MINUTES): Promise<TakenMessage | null> {
  await tx.execute(lockMessage(key));
  return claimWaiting(tx, key, minutes);
}

/** The parts in order; a run of parts that never came is shown as one MISSING_PART. */
function joinParts(parts: { seq: number; utf16: string }[], total: number): string {
  const bySeq = new Map(parts.map((p) => [Number(p.seq), Buffer.from(p.utf16, "base64").toString("utf16le")]));
  let text = "";
  for (let seq = 1; seq <= total; seq++) {
    const part = bySeq.get(seq);
    if (part !== undefined) text += part;
    else if (seq === 1 || bySeq.has(seq - 1)) text += MISSING_PART;
  }
  return text;
}

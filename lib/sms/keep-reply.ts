import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type Transaction } from "@/db/client";
import { smsReplies, type SmsReplyAction } from "@/db/schema";

/**
 * An SMSC delivers a deliver_sm again when our deliver_sm_resp was lost, and gives a
 * mobile-originated SMS nothing unique (receipted_message_id and message_id are for receipts),
 * so a single-part SMS is known by what it is: the same text as the latest SMS of its
 * conversation (same account, sender and number written to), within this many minutes, is the
 * same SMS delivered again. A person who really sends one text twice in a row within the window
 * is kept once: what it asked (a STOP, say) the first one did. Only the latest counts, so that
 * "STOP, START, STOP" stays three messages and the person ends opted out.
 */
export const REPEAT_WINDOW_MINUTES = 10;

/** One site's row for an SMS: the sender as that site reads it, and what the SMS did there. */
export type ReplyRow = { siteId: number; phone: string; action: SmsReplyAction | null };

/** The conversation an SMS belongs to: who wrote, to which number, on which SMS account. */
export const conversationKey = (account: string, from: string, to: string) => createHash("sha256").update(JSON.stringify([account, from, to])).digest("base64url");

/** PostgreSQL refuses NUL in text; a reply is kept to 2,000 characters, never half an emoji. */
const storable = (text: string) => Array.from(text.replace(/\0/g, "")).slice(0, 2000).join("");

/**
 * Stores an SMS as `rows` in `tx`. False when it was stored already: by the provider's id
 * (`providerId`, Twilio's MessageSid, a unique index), or for an SMS without one
 * (`repeatByText`) by the rule above, under a lock on its conversation so that two copies
 * handled at once store one.
 */
export async function storeReply(
  tx: Transaction,
  rows: ReplyRow[],
  text: string,
  options: { conversation: string; providerId?: string; repeatByText?: boolean },
): Promise<boolean> {
  const kept = storable(text);
  if (options.repeatByText) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${options.conversation}, 0))`);
    if (await isRepeat(tx, options.conversation, kept)) return false;
  }
  const inserted = await tx
    .insert(smsReplies)
    .values(rows.map((r) => ({ ...r, text: kept, providerId: options.providerId ?? null, conversationKey: options.conversation })))
    .onConflictDoNothing()
    .returning({ id: smsReplies.id });
  return inserted.length > 0;
}

/**
 * Whether the conversation's latest SMS is `text`, received within REPEAT_WINDOW_MINUTES, and
 * nothing happened since that a second one would answer:
 * - an administrator's answer: the same short text ("Oui") answers the new question;
 * - what it did was undone: a STOP whose opt-out an administrator took back, a START after which
 *   the number was put out again. A copy delivered again finds its effect still in force; the
 *   person who writes STOP again after being put back in means it.
 * (One SMS is a row per site that keeps it, all with the same receipt time.)
 */
async function isRepeat(tx: Transaction, conversation: string, text: string): Promise<boolean> {
  const [latest] = rows<{ text: string; recent: boolean; answered: boolean; undone: boolean }>(
    await tx.execute(sql`
      select r.text, r.received_at > now() - make_interval(mins => ${REPEAT_WINDOW_MINUTES}) as recent,
        exists (select 1 from ${smsReplies} a where a.conversation_key = r.conversation_key and a.received_at = r.received_at and a.answers > 0) as answered,
        exists (
          select 1 from ${smsReplies} a where a.conversation_key = r.conversation_key and a.received_at = r.received_at and (
            (a.action = 'opt_out' and not exists (select 1 from sms_opt_outs o where o.site_id = a.site_id and o.phone = a.phone))
            or (a.action = 'opt_in' and exists (select 1 from sms_opt_outs o where o.site_id = a.site_id and o.phone = a.phone and o.received_at > a.received_at)))
        ) as undone
      from ${smsReplies} r where r.conversation_key = ${conversation}
      order by r.id desc limit 1`),
  );
  return latest?.recent === true && !latest.answered && !latest.undone && latest.text === text;
}

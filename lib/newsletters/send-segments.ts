import { and, eq, isNull, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { newsletterSends, outboundMessages, type NewsletterSend } from "@/db/schema";
import { composeSms } from "@/lib/mail/compose";
import { segmentClass } from "@/lib/sms/segment-class";
import { smsSegments } from "@/lib/sms/segments";

/**
 * The SMS segments a queued SMS send costs in all, each row's text composed as the queue sends it
 * (composeSms: `{{name}}` and `{{phone}}` filled per row), so the report repeats the total the
 * send dialog announced (smsAudienceCost), now for the rows really queued. Null for an email
 * send. One text per class of (name, other variables, number) as segmentClass sorts them prices
 * the rows that share it: grouped by the name itself, a large send was a row per person.
 */
export async function sendSegments(messageId: number): Promise<number | null> {
  const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
  if (!message) return null;
  // An email send has HTML (an SMS's content never has any): its rows need not be read at all,
  // which for a million recipients cost most of a second. A group SMS keeps its sending hours;
  // an SMS sent before those existed has neither mark, and is found by its rows below.
  if (message.html !== null && !message.keepsSmsHours) return null;
  // The name composeSms fills in: the row's variables' own, else its recipient_name.
  const name = sql`coalesce(variables->>'name', recipient_name)`;
  const kinds = rows<{ id: string | number; site_id: number; recipient: string; name: string; variables: Record<string, string>; n: number }>(
    await db.execute(sql`
      select min(id) as id, min(site_id) as site_id, min(recipient) as recipient, min(${name}) as name, variables - 'phone' - 'name' as variables, count(*)::int as n
        from queue where message_id = ${messageId} and channel = 'sms'
       group by ${segmentClass(name)}, variables - 'phone' - 'name', ${segmentClass(sql`recipient`)}`),
  );
  if (kinds.length === 0) return null;
  let segments = 0;
  for (const k of kinds) {
    // The row's own number stands for `{{phone}}`, as it does in a group SMS's variables.
    const row = { id: Number(k.id), siteId: k.site_id, recipient: k.recipient, recipientName: k.name, variables: { ...k.variables, name: k.name, phone: k.recipient } };
    segments += Number(k.n) * smsSegments(composeSms(message, row).text).segments;
  }
  return segments;
}

/**
 * sendSegments for a send's report, kept on the send once it is queued: its rows and their texts
 * are all there from then on (queueSend inserts them and marks the send queued in one
 * transaction) and never change, so later views read the stored total.
 */
export async function reportSegments(send: Pick<NewsletterSend, "id" | "status" | "messageId" | "segments">): Promise<number | null> {
  if (send.segments !== null) return send.segments;
  if (!send.messageId) return null;
  const segments = await sendSegments(send.messageId);
  if (segments !== null && send.status === "queued") {
    await db.update(newsletterSends).set({ segments }).where(and(eq(newsletterSends.id, send.id), isNull(newsletterSends.segments)));
  }
  return segments;
}

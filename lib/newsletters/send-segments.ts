import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { outboundMessages } from "@/db/schema";
import { composeSms } from "@/lib/mail/compose";
import { smsSegments } from "@/lib/sms/segments";

/**
 * The SMS segments a queued SMS send costs in all, each row's text composed as the queue sends it
 * (composeSms: `{{name}}` and `{{phone}}` filled per row), so the report repeats the total the
 * send dialog announced (smsAudienceCost), now for the rows really queued. Null for an email
 * send. Numbers are "+" and digits, all GSM-7: only their length changes a text's size, so one
 * text per distinct (name, variables, number length) prices the rows that share it.
 */
export async function sendSegments(messageId: number): Promise<number | null> {
  const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, messageId));
  if (!message) return null;
  const kinds = rows<{ id: string | number; site_id: number; recipient: string; recipient_name: string; variables: Record<string, string>; n: number }>(
    await db.execute(sql`
      select min(id) as id, min(site_id) as site_id, min(recipient) as recipient, recipient_name, variables - 'phone' as variables, count(*)::int as n
        from queue where message_id = ${messageId} and channel = 'sms'
       group by recipient_name, variables - 'phone', length(recipient)`),
  );
  if (kinds.length === 0) return null;
  let segments = 0;
  for (const k of kinds) {
    // The row's own number stands for `{{phone}}`, as it does in a group SMS's variables.
    const row = { id: Number(k.id), siteId: k.site_id, recipient: k.recipient, recipientName: k.recipient_name, variables: { ...k.variables, phone: k.recipient } };
    segments += Number(k.n) * smsSegments(composeSms(message, row).text).segments;
  }
  return segments;
}

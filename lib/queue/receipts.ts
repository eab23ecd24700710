import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Channel } from "@/db/schema";

/**
 * A delivery receipt (SMS delivery report, email DSN) for a sent row, found by the id the
 * provider gave it. `delivered` is only ever set here: sending alone never claims delivery.
 * A negative receipt turns the row to `error` (permanent) with the provider's reason.
 */
export async function recordReceipt(input: { channel: Channel; providerMessageId: string; delivered: boolean; reason?: string; actor: string }) {
  const to = input.delivered ? "delivered" : "error";
  const result = await db.execute(sql`
    with updated as (
      update queue q set status = ${to},
        delivered_at = case when ${input.delivered} then now() else q.delivered_at end,
        last_error = case when ${input.delivered} then q.last_error else ${input.reason ?? "not delivered"} end,
        retryable = false, updated_at = now()
      where q.channel = ${input.channel} and q.provider_message_id = ${input.providerMessageId} and q.status = 'sent'
      returning q.id
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sent', ${to}, ${input.actor}, ${input.delivered ? null : (input.reason ?? "not delivered")} from updated
    )
    select count(*)::int as n from updated`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

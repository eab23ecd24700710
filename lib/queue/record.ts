import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Channel } from "@/db/schema";
import { env } from "@/lib/env";

export type Outcome =
  | { id: number; ok: true; providerMessageId: string; channel?: Channel; partIds?: string[] }
  | { id: number; ok: false; transient: boolean; error: string };

/**
 * Writes the outcomes of leased rows: `sent`, or `error` (retryable with exponential backoff and
 * jitter while attempts remain, final otherwise). Rows whose lease is no longer `token` are left
 * alone: their lease expired and someone else owns them now. Returns the ids actually recorded.
 */
export async function recordOutcomes(token: string, actor: string, outcomes: Outcome[]): Promise<number[]> {
  if (outcomes.length === 0) return [];
  // Each row finds its outcome in one JSON object keyed by id (a lookup per row), and the rows are
  // found by id: joining the rows to a set-returning function instead let the planner, which
  // expects few `sending` rows, re-read the whole outcome list for each leased row (2-4 ms per
  // statement, most of the database's work per message sent).
  const byId = Object.fromEntries(
    outcomes.map((o) => [o.id, o.ok ? { ok: true, provider: o.providerMessageId, ...(o.partIds ? { parts: o.partIds } : {}) } : { ok: false, transient: o.transient, err: o.error }]),
  );
  const parts = outcomes.flatMap((o) => (o.ok && o.partIds ? o.partIds : []));
  const ids = `{${outcomes.map((o) => o.id).join(",")}}`;
  const field = (name: string) => sql.raw(`(p.outcomes -> q.id::text ->> '${name}')`);
  const ok = sql`${field("ok")}::boolean`;
  const base = env.QUEUE_BACKOFF_SECONDS;
  const result = await db.execute(sql`
    with p as (select ${JSON.stringify(byId)}::jsonb as outcomes),
    updated as (
      update queue q set
        status = case when ${ok} then 'sent' else 'error' end,
        sent_at = case when ${ok} then now() else q.sent_at end,
        retryable = not ${ok} and ${field("transient")}::boolean and q.attempts < ${env.QUEUE_MAX_ATTEMPTS},
        next_attempt_at = case when ${ok} then q.next_attempt_at
          else now() + make_interval(secs => least(86400, ${base}::float8 * power(2, greatest(q.attempts - 1, 0)) * (0.75 + random() * 0.5))) end,
        last_error = case when ${ok} then q.last_error else ${field("err")} end,
        provider_message_id = coalesce(${field("provider")}, q.provider_message_id),
        provider_part_ids = case when ${ok} then ${parts.length ? sql`(select array_agg(x) from jsonb_array_elements_text(p.outcomes -> q.id::text -> 'parts') as x)` : sql`null`} else q.provider_part_ids end,
        lease_token = null, lease_expires_at = null, updated_at = now()
      from p
      where q.id = any(${ids}::bigint[]) and q.lease_token = ${token} and q.status = 'sending'
      returning q.id, q.status, q.last_error
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sending', status, ${actor}, case when status = 'error' then last_error end from updated
    )${
      parts.length
        ? // A later part's receipt that came first (or reached another process) waits for nothing.
          sql`, parts as (
      update queue_receipts set applied_at = now()
       where applied_at is null and channel = 'sms' and provider_message_id in (select jsonb_array_elements_text(${JSON.stringify(parts)}::jsonb))
    )`
        : sql``
    }
    select id from updated`);
  return rows<{ id: string | number }>(result).map((r) => Number(r.id));
}

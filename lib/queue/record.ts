import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Channel } from "@/db/schema";
import { env } from "@/lib/env";
import { DEFERRED_NOTE, ERASED_NOTE } from "./notes";
import { ERASED_RECIPIENT_PATTERN } from "./erased-recipient";

export type Outcome =
  /** `account`: the account that gave the ids (smsAccount), which a receipt must come from to apply. */
  | { id: number; ok: true; providerMessageId: string; channel?: Channel; partIds?: string[]; account?: string }
  | { id: number; ok: false; transient: boolean; error: string }
  /** Not tried: its sending hours are closed. Back to pending until they open, no attempt spent. */
  | { id: number; ok: false; deferredUntil: Date };

export const isDeferred = (o: Outcome): o is Extract<Outcome, { deferredUntil: Date }> => "deferredUntil" in o;

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
    outcomes.map((o) => [
      o.id,
      o.ok
        ? { ok: true, provider: o.providerMessageId, ...(o.partIds ? { parts: o.partIds } : {}), ...(o.account ? { account: o.account } : {}) }
        : isDeferred(o)
          ? { ok: false, later: o.deferredUntil.toISOString() }
          : { ok: false, transient: o.transient, err: o.error },
    ]),
  );
  const parts = outcomes.flatMap((o) => (o.ok && o.partIds ? o.partIds.map((id) => ({ id, account: o.account ?? null })) : []));
  const ids = `{${outcomes.map((o) => o.id).join(",")}}`;
  const field = (name: string) => sql.raw(`(p.outcomes -> q.id::text ->> '${name}')`);
  const ok = sql`${field("ok")}::boolean`;
  // Deferred rows go back to pending as if never claimed: no attempt spent, no error recorded.
  // Not a row erased while it was being sent (lib/newsletters/erase.ts scrubs those): it has no
  // one left to go to, so a failure or a deferral ends it for good.
  const erased = sql`q.recipient ~ ${ERASED_RECIPIENT_PATTERN}`;
  const later = sql`${field("later")}::timestamptz`;
  const deferred = sql`(${later} is not null and not ${erased})`;
  const base = env.QUEUE_BACKOFF_SECONDS;
  const result = await db.execute(sql`
    with p as (select ${JSON.stringify(byId)}::jsonb as outcomes),
    updated as (
      update queue q set
        status = case when ${ok} then 'sent' when ${deferred} then 'pending' else 'error' end,
        sent_at = case when ${ok} then now() else q.sent_at end,
        retryable = not ${ok} and ${later} is null and ${field("transient")}::boolean and q.attempts < ${env.QUEUE_MAX_ATTEMPTS} and not ${erased},
        attempts = case when ${deferred} then greatest(q.attempts - 1, 0) else q.attempts end,
        next_attempt_at = case when ${ok} then q.next_attempt_at when ${deferred} then ${later}
          else now() + make_interval(secs => least(86400, ${base}::float8 * power(2, greatest(q.attempts - 1, 0)) * (0.75 + random() * 0.5))) end,
        -- An erased row's failure is not kept: a provider's answer often quotes the address it
        -- refused, which the erasure could not hide in an answer that came after it.
        last_error = case when ${ok} or ${deferred} then q.last_error when ${erased} then ${ERASED_NOTE} else ${field("err")} end,
        provider_message_id = coalesce(${field("provider")}, q.provider_message_id),
        -- A new send's ids come from the account it went through (none: a transport without receipts).
        provider_account = case when ${ok} then ${field("account")} else q.provider_account end,
        provider_part_ids = case when ${ok} then ${parts.length ? sql`(select array_agg(x) from jsonb_array_elements_text(p.outcomes -> q.id::text -> 'parts') as x)` : sql`null`} else q.provider_part_ids end,
        -- The token stays: a write tried again after its answer was lost finds its rows recorded
        -- under it (outcome-writer.ts), rather than taken by someone else. A claim replaces it.
        lease_expires_at = null, updated_at = now()
      from p
      where q.id = any(${ids}::bigint[]) and q.lease_token = ${token} and q.status = 'sending'
      returning q.id, q.status, q.last_error
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sending', status, ${actor}, case when status = 'error' then last_error when status = 'pending' then ${DEFERRED_NOTE} end from updated
    )${
      parts.length
        ? // A later part's DELIVRD that came first (or reached another process) waits for nothing:
          // it changes nothing (lib/queue/receipts.ts, takes). A failure waits, and is applied
          // with the first part's receipts (applyEarlyReceipts, given the part ids too).
          sql`, parts as (
      update queue_receipts r set applied_at = now()
        from jsonb_to_recordset(${JSON.stringify(parts)}::jsonb) as x(id text, account text)
       where r.applied_at is null and r.delivered and r.channel = 'sms' and r.provider_message_id = x.id
         and (r.provider_account is null or x.account is null or r.provider_account = x.account)
    )`
        : sql``
    }
    select id from updated`);
  return rows<{ id: string | number }>(result).map((r) => Number(r.id));
}

import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { bulkMessage } from "./enqueue";
import { hasRecipient } from "./erased-recipient";
import { CANCELLED_NOTE } from "./notes";

/**
 * Puts rows back to `pending` for a person: due now, attempts reset, so they are always sent
 * again whatever failed before. `where` is already scoped to the caller's site(s). An erased
 * person's rows stay as they are: they have no recipient left to send to.
 */
export async function setPending(where: SQL, actor: string): Promise<number> {
  return transition(where, sql`status in ('error', 'sent', 'delivered') and ${hasRecipient}`, "pending", actor, null);
}

/** Cancels rows that have not left yet: they stop at `error` with a note, never retried automatically. */
export async function cancelPending(where: SQL, actor: string): Promise<number> {
  return transition(where, sql`status = 'pending'`, "error", actor, CANCELLED_NOTE);
}

/**
 * Cancels rows that have not gone and would still go: pending ones, and those in error that the
 * queue would retry by itself. In `executor` (a transaction) when the cancel must stand or fall
 * with other changes; `note` says why when it is not a person's choice (an erasure).
 */
export async function cancelUnsent(where: SQL, actor: string, executor: Pick<typeof db, "execute"> = db, note = CANCELLED_NOTE): Promise<number> {
  return transition(where, sql`(status = 'pending' or (status = 'error' and retryable))`, "error", actor, note, executor);
}

async function transition(where: SQL, from: SQL, to: "pending" | "error", actor: string, note: string | null, executor: Pick<typeof db, "execute"> = db) {
  const result = await executor.execute(sql`
    with changed as (
      -- In id order, as the other writers that lock many rows and wait for them do (an erasure,
      -- renewRows): two of them never hold each a row the other waits for.
      select id, status from queue where ${where} and ${from} order by id for update
    ), updated as (
      update queue q set status = ${to}, attempts = case when ${to} = 'pending' then 0 else q.attempts end,
        retryable = false, next_attempt_at = now(), last_error = coalesce(${note}, q.last_error), updated_at = now(),
        -- Sent again: the old delivery receipt no longer speaks for the row.
        delivered_at = case when ${to} = 'pending' then null else q.delivered_at end,
        receipt_at = case when ${to} = 'pending' then null else q.receipt_at end,
        -- Taken again from its message: a newsletter's row sent before migration 0039 (which marked
        -- only rows still to go) kept bulk = false, and resent it would overtake a password reset.
        bulk = case when ${to} = 'pending' then ${bulkMessage(sql`q.message_id`)} else q.bulk end
      from changed where q.id = changed.id
      returning q.id, changed.status as previous
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, previous, ${to}, ${actor}, ${note} from updated
    )
    select count(*)::int as n from updated`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

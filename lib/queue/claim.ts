import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { QueueRow } from "@/db/schema";
import { env } from "@/lib/env";
import { LEASE_EXPIRED_NOTE, RELEASED_NOTE } from "./notes";

export type ClaimKind = "send" | "retry";
export type Claimed = { token: string; ids: number[] };
/** What sending one row needs, returned by `claimRows` straight from the claiming statement. */
export type SendableRow = Pick<QueueRow, "id" | "siteId" | "messageId" | "channel" | "recipient" | "recipientName" | "variables">;

/**
 * Takes up to `limit` due rows for one runner: `pending` ones to send, or `error` ones marked
 * retryable whose backoff has passed. Rows locked by another claimer are skipped, never waited
 * for; each taken row becomes `sending` under a lease (token + expiry) that only this runner
 * can close. The status change is written to the history in the same statement.
 */
export async function claim(options: ClaimOptions): Promise<Claimed> {
  const { token, found } = await claimStatement(options, sql`id`);
  return { token, ids: rows<{ id: string | number }>(found).map((r) => Number(r.id)) };
}

/**
 * The same claim, returning the leased rows themselves: a runner that sends in this process
 * saves reading them again (Inngest's steps keep `claim`, whose ids fit in a step's output).
 */
export async function claimRows(options: ClaimOptions): Promise<{ token: string; rows: SendableRow[] }> {
  const { token, found } = await claimStatement(
    options,
    sql`id, site_id as "siteId", message_id as "messageId", channel, recipient, recipient_name as "recipientName", variables`,
  );
  const leased = rows<SendableRow & { id: string | number; siteId: string | number; messageId: string | number }>(found);
  return {
    token,
    rows: leased.map((r) => ({
      ...r,
      id: Number(r.id),
      siteId: Number(r.siteId),
      messageId: Number(r.messageId),
      // Raw statements come back with jsonb already parsed on both drivers; a string is tolerated.
      variables: typeof r.variables === "string" ? JSON.parse(r.variables) : r.variables,
    })),
  };
}

type ClaimOptions = { kind: ClaimKind; siteId?: number | null; limit: number; actor: string; leaseSeconds?: number };

async function claimStatement(options: ClaimOptions, columns: SQL) {
  const token = randomUUID();
  const lease = options.leaseSeconds ?? env.QUEUE_LEASE_SECONDS;
  const from = options.kind === "send" ? "pending" : "error";
  const due =
    options.kind === "send"
      ? sql`status = 'pending' and next_attempt_at <= now()`
      : sql`status = 'error' and retryable and next_attempt_at <= now()`;
  const site = options.siteId ? sql`and site_id = ${options.siteId}` : sql``;
  // The leased rows are updated by an id array (an index scan on the primary key) rather than
  // by joining `picked`: with the statistics of a table that just grew, the planner hashed the
  // whole table for the join (4 ms per claim of 200 at 20,000 rows, growing with the table).
  const result = await db.execute(sql`
    with picked as (
      select id from queue where ${due} ${site}
      order by next_attempt_at, id
      limit ${options.limit}
      for update skip locked
    ), claimed as (
      update queue q
         set status = 'sending', lease_token = ${token}, lease_expires_at = now() + make_interval(secs => ${lease}::float8),
             attempts = q.attempts + 1, updated_at = now()
       where q.id = any(array(select id from picked))
      returning q.*
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor)
      select id, ${from}, 'sending', ${options.actor} from claimed
    )
    select ${columns} from claimed order by id`);
  return { token, found: result };
}

/**
 * Pushes back the expiry of the leases a live runner still holds, for their rows not yet
 * recorded (a transport paced at a few SMS a second, a slow SMTP server): without it they would
 * be recovered as abandoned and sent a second time. Not a change of status: no history row.
 */
export async function renewLeases(tokens: string[], leaseSeconds: number = env.QUEUE_LEASE_SECONDS): Promise<number> {
  if (tokens.length === 0) return 0;
  // Rows an outcome write holds are skipped (they are leaving `sending`), and the rest are locked
  // in id order as recordOutcomes does: two statements never wait on each other the other way round.
  const result = await db.execute(sql`
    with held as (
      select id from queue
       where status = 'sending' and lease_token = any(${`{${tokens.join(",")}}`}::uuid[])
       order by id
       for update skip locked
    ), renewed as (
      update queue set lease_expires_at = now() + make_interval(secs => ${leaseSeconds}::float8)
       where id = any(array(select id from held))
      returning 1
    )
    select count(*)::int as n from renewed`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Keeps a live runner's leases: renewed every third of their length until `stop`, so a lease only
 * expires when its runner is gone (crash, kill, deploy), however slowly the transport sends.
 */
export function leaseKeeper(leaseSeconds: number = env.QUEUE_LEASE_SECONDS) {
  const held = new Set<string>();
  const timer = setInterval(() => {
    if (held.size) renewLeases([...held], leaseSeconds).catch((error) => console.warn("[queue] could not renew leases", error));
  }, (leaseSeconds * 1000) / 3);
  timer.unref();
  return {
    hold: (token: string) => void held.add(token),
    /** A claim whose rows all have their outcome (written within a fraction of a lease). */
    release: (token: string) => void held.delete(token),
    stop: () => clearInterval(timer),
  };
}

/** Rows whose runner vanished (crash, kill, deploy) go back to `pending`. Returns how many. */
export async function recoverExpiredLeases(siteId?: number | null): Promise<number> {
  const site = siteId ? sql`and site_id = ${siteId}` : sql``;
  const result = await db.execute(sql`
    with recovered as (
      update queue set status = 'pending', lease_token = null, lease_expires_at = null, next_attempt_at = now(), updated_at = now()
       where status = 'sending' and lease_expires_at < now() ${site}
      returning id
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sending', 'pending', 'lease-recovery', ${LEASE_EXPIRED_NOTE} from recovered
    )
    select count(*)::int as n from recovered`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/** Gives back a claim that will not be sent (a runner stopping early): its rows are pending again. */
export async function releaseClaim(token: string): Promise<number> {
  const result = await db.execute(sql`
    with released as (
      update queue set status = 'pending', lease_token = null, lease_expires_at = null,
             attempts = greatest(attempts - 1, 0), updated_at = now()
       where lease_token = ${token} and status = 'sending'
      returning id
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sending', 'pending', 'release', ${RELEASED_NOTE} from released
    )
    select count(*)::int as n from released`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

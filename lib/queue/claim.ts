import { createHash, randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { QueueRow } from "@/db/schema";
import { env } from "@/lib/env";
import { ERASED_RECIPIENT_PATTERN } from "./erased-recipient";
import { ERASED_NOTE, LEASE_EXPIRED_NOTE, RELEASED_NOTE } from "./notes";

export type ClaimKind = "send" | "retry";
export type Claimed = { token: string; ids: number[] };
/** What sending one row needs, returned by `claimRows` straight from the claiming statement. */
export type SendableRow = Pick<QueueRow, "id" | "siteId" | "messageId" | "channel" | "recipient" | "recipientName" | "variables">;

/**
 * Takes up to `limit` due rows for one runner: `pending` ones to send, or `error` ones marked
 * retryable whose backoff has passed; rows that are not bulk (a newsletter's) first, then the
 * oldest due, in the order of queue_pending_idx and queue_retry_idx. Rows locked by another claimer are skipped, never waited
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
  return { token, rows: sendableRows(found) };
}

function sendableRows(result: unknown): SendableRow[] {
  return rows<SendableRow & { id: string | number; siteId: string | number; messageId: string | number }>(result).map((r) => ({
    ...r,
    id: Number(r.id),
    siteId: Number(r.siteId),
    messageId: Number(r.messageId),
    // Raw statements come back with jsonb already parsed on both drivers; a string is tolerated.
    variables: typeof r.variables === "string" ? JSON.parse(r.variables) : r.variables,
  }));
}

/**
 * `token`: the lease's, when the caller must know it before claiming (an Inngest step, claimStepToken); else a fresh one.
 * `countIn`: a queue_runs row whose `claimed` grows by the rows taken, in the claiming statement itself: a step
 * replayed after its claim committed returns the rows it took (heldUnder), and they must be counted then,
 * exactly once, whatever failed after the claim.
 */
type ClaimOptions = { kind: ClaimKind; siteId?: number | null; limit: number; actor: string; leaseSeconds?: number; token?: string; countIn?: number };

async function claimStatement(options: ClaimOptions, columns: SQL) {
  const token = options.token ?? randomUUID();
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
      order by bulk, next_attempt_at, id
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
    )${
      options.countIn
        ? sql`, counted as (
      update queue_runs set claimed = claimed + (select count(*) from claimed), updated_at = now()
       where id = ${options.countIn} and exists (select 1 from claimed)
    )`
        : sql``
    }
    select ${columns} from claimed order by id`);
  return { token, found: result };
}

/**
 * The lease token of an Inngest pass's claim step, known before it claims: the same on every
 * replay of the step (from the run's id and the batch's number), so a replay after its claim
 * committed finds the rows it took (heldUnder) instead of taking others and leaving those
 * `sending` until their lease expires. A UUID's shape, from a hash.
 */
export function claimStepToken(runId: number, batch: number): string {
  const h = createHash("sha256").update(`chora-claim:${runId}:${batch}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The ids still `sending` under `token`, in id order. */
export async function heldUnder(token: string): Promise<number[]> {
  const result = await db.execute(sql`select id from queue where lease_token = ${token}::uuid and status = 'sending' order by id`);
  return rows<{ id: string | number }>(result).map((r) => Number(r.id));
}

/**
 * Pushes back the expiry of the leases a live runner still holds, for their rows not yet
 * recorded (a transport paced at a few SMS a second, a slow SMTP server): without it they would
 * be recovered as abandoned and sent a second time. Not a change of status: no history row.
 * Returns how many rows each token still holds.
 */
export async function renewLeases(tokens: string[], leaseSeconds: number = env.QUEUE_LEASE_SECONDS): Promise<Map<string, number>> {
  if (tokens.length === 0) return new Map();
  // Rows an outcome write holds are skipped (they are leaving `sending`), and the rest are locked
  // in id order as recordOutcomes does: two statements never wait on each other the other way round.
  const result = await db.execute(sql`
    with held as (
      select id from queue
       where status = 'sending' and lease_token = any(${`{${tokens.join(",")}}`}::uuid[])
       order by id
       for no key update skip locked
    ), renewed as (
      update queue set lease_expires_at = now() + make_interval(secs => ${leaseSeconds}::float8)
       where id = any(array(select id from held))
      returning lease_token
    )
    select lease_token::text as token, count(*)::int as n from renewed group by lease_token`);
  return new Map(rows<{ token: string; n: number }>(result).map((r) => [r.token, Number(r.n)]));
}

/**
 * Renews the lease of exactly these rows of `token`, waiting for any lock on them (a recovery
 * under way), and says whether every one of them is still this lease's. Locked in id order, as
 * the other writers do.
 */
async function renewRows(token: string, ids: number[], leaseSeconds: number): Promise<boolean> {
  if (ids.length === 0) return true;
  const result = await db.execute(sql`
    with mine as (
      select id from queue
       where id = any(${`{${ids.join(",")}}`}::bigint[]) and lease_token = ${token}::uuid and status = 'sending'
       order by id
       for no key update
    ), renewed as (
      update queue set lease_expires_at = now() + make_interval(secs => ${leaseSeconds}::float8)
       where id = any(array(select id from mine))
      returning 1
    )
    select count(*)::int as n from renewed`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0) === ids.length;
}

/**
 * Keeps a live runner's leases: renewed every third of their length until `stop`, so a lease only
 * expires when its runner is gone (crash, kill, deploy), however slowly the transport sends.
 *
 * A runner can also outlive its lease without being gone: a process paused (a stopped container,
 * a debugger, a machine under swap or suspended) longer than the lease finds, when it wakes, its
 * rows recovered and perhaps already sent by another runner. So it sends a row only while its
 * lease surely holds, by its own clocks: until the time it asked for the claim or the last
 * renewal, plus the lease, less a margin, on the monotonic clock (a paused process) and on the
 * wall clock (a suspended machine, whose monotonic clock stops). Past that, it renews the rows
 * it has yet to send before sending any (`holding`): all of them, or none is sent.
 */
export function leaseKeeper(leaseSeconds: number = env.QUEUE_LEASE_SECONDS) {
  const leaseMs = leaseSeconds * 1000;
  const marginMs = Math.min(leaseMs / 10, 5000);
  type Deadline = { mono: number; wall: number };
  /** Token → until when its lease surely holds, on both clocks. */
  const held = new Map<string, Deadline>();
  const checking = new Map<string, Promise<boolean>>();
  const now = () => ({ mono: performance.now(), wall: Date.now() });
  const until = (asked: Deadline): Deadline => ({ mono: asked.mono + leaseMs - marginMs, wall: asked.wall + leaseMs - marginMs });
  const extend = (token: string, asked: Deadline) => {
    if (held.has(token)) held.set(token, until(asked));
  };
  const timer = setInterval(() => {
    if (!held.size) return;
    const asked = now();
    renewLeases([...held.keys()], leaseSeconds)
      .then((renewed) => {
        for (const [token, n] of renewed) if (n > 0) extend(token, asked);
      })
      .catch((error) => console.warn("[queue] could not renew leases", error));
  }, leaseMs / 3);
  timer.unref();
  return {
    /** `askedAt`: performance.now() just before the claim was asked for. */
    hold: (token: string, askedAt: number = performance.now()) =>
      void held.set(token, until({ mono: askedAt, wall: Date.now() - (performance.now() - askedAt) })),
    /** A claim whose rows all have their outcome written. */
    release: (token: string) => void held.delete(token),
    /**
     * Whether `unsent`, rows of `token` not sent yet, are all still this runner's: at once while the
     * lease surely holds, else after renewing them (false: another runner recovered one of them).
     */
    holding(token: string, unsent: () => number[]): boolean | Promise<boolean> {
      const deadline = held.get(token);
      if (deadline === undefined) return false;
      const t = now();
      if (t.mono < deadline.mono && t.wall < deadline.wall) return true;
      let check = checking.get(token);
      if (!check) {
        check = renewRows(token, unsent(), leaseSeconds)
          .then((ours) => {
            if (ours) extend(token, t);
            return ours;
          })
          .catch((error) => (console.warn("[queue] could not renew a lease", error), false))
          .finally(() => checking.delete(token));
        checking.set(token, check);
      }
      return check;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * Moves the rows of a claim still `sending` under `token` to a fresh lease, and returns them: an
 * Inngest step run twice at once (a retry while the first run still goes, its request cut by a
 * proxy) or a replay gets the rows only once; the other finds them under another lease, and its
 * outcome writes find nothing to write, so it stops.
 */
export async function takeOverClaim(ids: number[], token: string, leaseSeconds: number = env.QUEUE_LEASE_SECONDS): Promise<{ token: string; rows: SendableRow[] }> {
  const fresh = randomUUID();
  const result = await db.execute(sql`
    update queue set lease_token = ${fresh}, lease_expires_at = now() + make_interval(secs => ${leaseSeconds}::float8)
     where id = any(${`{${ids.join(",")}}`}::bigint[]) and lease_token = ${token} and status = 'sending'
    returning id, site_id as "siteId", message_id as "messageId", channel, recipient, recipient_name as "recipientName", variables`);
  return { token: fresh, rows: sendableRows(result) };
}

/**
 * A row whose person was erased while it was being sent (lib/newsletters/erase.ts scrubs it to
 * `erased-<id>`) has no one left to go to: given back or recovered below, it ends in error (ERASED_NOTE), as
 * recordOutcomes ends its failures, rather than going back to pending to be tried on
 * `erased-<id>` and fail as a malformed address.
 */
const erasedRow = sql`queue.recipient ~ ${ERASED_RECIPIENT_PATTERN}`;
const givenBack = sql`status = case when ${erasedRow} then 'error' else 'pending' end,
             retryable = retryable and not ${erasedRow},
             last_error = case when ${erasedRow} then ${ERASED_NOTE} else last_error end`;
const givenBackNote = (note: string) => sql`case when status = 'error' then ${ERASED_NOTE} else ${note} end`;

/** Rows whose runner vanished (crash, kill, deploy) go back to `pending`. Returns how many. */
export async function recoverExpiredLeases(siteId?: number | null): Promise<number> {
  const site = siteId ? sql`and site_id = ${siteId}` : sql``;
  const result = await db.execute(sql`
    with recovered as (
      update queue set ${givenBack}, lease_token = null, lease_expires_at = null, next_attempt_at = now(), updated_at = now(),
             -- The runner died, the row may never have been tried: the attempt is given back, as a
             -- release does. Not forever: a row whose sending kills its runner each time would
             -- come back endlessly, so from its fourth recovery on, the attempt counts.
             attempts = case when (select count(*) from queue_events e where e.queue_id = queue.id and e.actor = 'lease-recovery') < 3
                             then greatest(attempts - 1, 0) else attempts end
       where status = 'sending' and lease_expires_at < now() ${site}
      returning id, status
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sending', status, 'lease-recovery', ${givenBackNote(LEASE_EXPIRED_NOTE)} from recovered
    )
    select count(*)::int as n from recovered`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Gives back a claim, or the rows `ids` of it, that will not be sent (a runner stopping early, on
 * an error): pending again at once rather than after their lease. Never rows a send was started
 * for: their outcome is unknown, and only the lease's expiry may send them again.
 */
export async function releaseClaim(token: string, ids?: number[]): Promise<number> {
  if (ids?.length === 0) return 0;
  const only = ids ? sql`and id = any(${`{${ids.join(",")}}`}::bigint[])` : sql``;
  const result = await db.execute(sql`
    with released as (
      update queue set ${givenBack}, lease_token = null, lease_expires_at = null,
             attempts = greatest(attempts - 1, 0), updated_at = now()
       where lease_token = ${token} and status = 'sending' ${only}
      returning id, status
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sending', status, 'release', ${givenBackNote(RELEASED_NOTE)} from released
    )
    select count(*)::int as n from released`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

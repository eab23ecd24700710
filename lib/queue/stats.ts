import { and, desc, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queueRuns, queueStatusCounts, queueStatuses, type QueueStatus } from "@/db/schema";
import { env } from "@/lib/env";

export type RunProgress = {
  id: number;
  kind: "send" | "retry";
  startedAt: string;
  /** False when the run covers every site and the caller sees one site: its figures are not theirs. */
  scoped: boolean;
  claimed: number;
  done: number;
  sent: number;
  failed: number;
  /** Given back until their sending hours open. */
  deferred: number;
};
export type QueueStats = { counts: Record<QueueStatus, number>; total: number; run: RunProgress | null; at: string };

/**
 * Counts per status for one site (or every site: null), and the run in progress. A run counts as in progress while it is unfinished and has
 * reported within a lease, so a crashed runner's row does not show a bar forever.
 */
export async function queueStats(siteId: number | null): Promise<QueueStats> {
  const [grouped, run] = await Promise.all([
    // Kept current by triggers on `queue`: reading it costs the same at a million rows as at ten.
    db
      .select({ status: queueStatusCounts.status, n: sql<number>`sum(${queueStatusCounts.n})::bigint` })
      .from(queueStatusCounts)
      .where(siteId === null ? undefined : eq(queueStatusCounts.siteId, siteId))
      .groupBy(queueStatusCounts.status),
    currentRun(siteId),
  ]);
  const counts = Object.fromEntries(queueStatuses.map((s) => [s, 0])) as Record<QueueStatus, number>;
  for (const g of grouped) counts[g.status] = Number(g.n);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { counts, total, run, at: new Date().toISOString() };
}

async function currentRun(siteId: number | null): Promise<RunProgress | null> {
  const fresh = sql`now() - make_interval(secs => ${env.QUEUE_LEASE_SECONDS}::float8)`;
  const [run] = await db
    .select()
    .from(queueRuns)
    .where(
      and(
        isNull(queueRuns.finishedAt),
        // Bounds the scan to recent runs through queue_runs_started_idx as the table grows.
        gt(queueRuns.startedAt, sql`now() - interval '7 days'`),
        gt(queueRuns.updatedAt, fresh),
        siteId === null ? undefined : or(eq(queueRuns.siteId, siteId), isNull(queueRuns.siteId)),
      ),
    )
    // A run for this site first, then an all-sites one (the embedded scheduler's).
    .orderBy(sql`${queueRuns.siteId} is null`, desc(queueRuns.id))
    .limit(1);
  if (!run) return null;
  const scoped = siteId === null || run.siteId !== null;
  return {
    id: run.id,
    kind: run.kind,
    startedAt: run.startedAt.toISOString(),
    scoped,
    claimed: scoped ? run.claimed : 0,
    done: scoped ? run.sent + run.failed + run.deferred : 0,
    sent: scoped ? run.sent : 0,
    failed: scoped ? run.failed : 0,
    deferred: scoped ? run.deferred : 0,
  };
}

/**
 * The earliest `next_attempt_at` of the pending rows matching `where` (SQL, null when none), read
 * in queue_pending_idx's order: one probe per value of `bulk`, the index's first column, each
 * stopping at its first entry. A "limit 1" over "next_attempt_at <= now()" alone let the planner,
 * expecting many due rows, scan the whole table when none was (1.3 million rows, a third of a
 * second: every row waiting for its SMS hours).
 */
export function earliestPending(where: SQL): SQL {
  const probe = (bulk: boolean) => sql`(select next_attempt_at from queue where status = 'pending' and bulk = ${bulk} and ${where} order by next_attempt_at, id limit 1)`;
  return sql`least(${probe(false)}, ${probe(true)})`;
}

/**
 * Whether a pending row is due now, and else when the first one is: rows of a group SMS wait for
 * their site's sending hours as pending rows due later.
 */
export async function pendingTiming(siteId: number | null): Promise<{ due: boolean; waitsUntil: Date | null }> {
  const site = siteId === null ? sql`true` : sql`site_id = ${siteId}`;
  const [first] = rows<{ at: string | Date | null; due: boolean }>(await db.execute(sql`select at, at <= now() as due from (select ${earliestPending(site)} as at) p`));
  if (!first?.at) return { due: false, waitsUntil: null };
  return first.due ? { due: true, waitsUntil: null } : { due: false, waitsUntil: new Date(first.at) };
}

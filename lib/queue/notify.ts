import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { env } from "@/lib/env";
import { kickScheduler } from "./scheduler";

/** From this many rows added at once, the queue's statistics are refreshed before runners start. */
const BULK_ROWS = 5_000;

/**
 * Tells whoever runs the queue that rows arrived: an Inngest event when Inngest is configured,
 * else the embedded scheduler. A failure here never fails the enqueue: the rows are stored and
 * the 2-minute pass sends them anyway.
 *
 * After a bulk enqueue (`rows` ≥ BULK_ROWS) the table's statistics are refreshed first, as
 * PostgreSQL advises after any bulk load: autovacuum analyzes only later, and until then the
 * planner, believing few rows pending, claims each batch by reading and sorting every pending
 * row (5 ms per claim at 20,000 rows) instead of taking the first ones from the pending index.
 */
export async function notifyEnqueued(siteId: number, options: { rows?: number } = {}) {
  if ((options.rows ?? 0) >= BULK_ROWS) await refreshStatistics();
  if (!env.inngestEnabled) return kickScheduler();
  try {
    const { inngest } = await import("@/inngest/client");
    await inngest.send({ name: "queue/enqueued", data: { siteId } });
  } catch (error) {
    console.error("[queue] could not notify Inngest; the cron pass will send", error);
  }
}

/**
 * ANALYZE waits for another ANALYZE or a VACUUM of the table; the enqueue that asked must not
 * wait long for it (the runners work without fresh statistics, only slower).
 */
async function refreshStatistics() {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '2s'`);
      await tx.execute(sql`analyze queue`);
    });
  } catch (error) {
    console.warn("[queue] could not refresh the queue's statistics", error);
  }
}

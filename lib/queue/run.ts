import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queueRuns, type OutboundMessage } from "@/db/schema";
import { env } from "@/lib/env";
import { defaultEmailTransport, type EmailTransport } from "@/lib/mail/transport";
import { claim, recoverExpiredLeases, releaseClaim, type ClaimKind } from "./claim";
import { deliverClaimed } from "./deliver";

export type RunSummary = { runId: number; kind: ClaimKind; claimed: number; sent: number; failed: number; skipped: number; recovered: number };

export const runnerId = (label: string) => `${label}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * One runner's pass over the queue, the same for every way in (Inngest, command, button,
 * embedded scheduler): recover expired leases, then claim a batch, send it, record it, until
 * nothing is due (or `maxBatches`). Progress is written to `queue_runs` after every batch so
 * the queue screen can show it.
 */
export async function runQueue(options: {
  kind: ClaimKind;
  siteId?: number | null;
  runner: string;
  transport?: EmailTransport;
  batchSize?: number;
  maxBatches?: number;
}): Promise<RunSummary> {
  const transport = options.transport ?? defaultEmailTransport();
  const ownsTransport = !options.transport;
  const siteId = options.siteId ?? null;
  const recovered = await recoverExpiredLeases(siteId);
  const [run] = await db
    .insert(queueRuns)
    .values({ siteId, kind: options.kind, runner: options.runner, recovered })
    .returning({ id: queueRuns.id });
  const summary: RunSummary = { runId: run.id, kind: options.kind, claimed: 0, sent: 0, failed: 0, skipped: 0, recovered };
  const messages = new Map<number, OutboundMessage>();
  const maxBatches = options.maxBatches ?? Infinity;
  const claimNext = () => claim({ kind: options.kind, siteId, limit: options.batchSize ?? env.QUEUE_BATCH_SIZE, actor: options.runner });
  // The next batch is claimed while the current one is sending, so the SMTP pool never waits
  // for the database between batches (at most two batches are leased at once).
  let upcoming: ReturnType<typeof claimNext> | null = claimNext();
  try {
    for (let batch = 0; upcoming && batch < maxBatches; batch++) {
      const { token, ids } = await upcoming;
      upcoming = null;
      if (ids.length === 0) break;
      if (batch + 1 < maxBatches) upcoming = claimNext();
      summary.claimed += ids.length;
      await db.update(queueRuns).set({ claimed: summary.claimed, updatedAt: new Date() }).where(eq(queueRuns.id, run.id));
      const done = await deliverClaimed({ ids, token, actor: options.runner, transport, concurrency: env.SMTP_POOL_SIZE, messages });
      summary.sent += done.sent;
      summary.failed += done.failed;
      summary.skipped += done.skipped;
      await db
        .update(queueRuns)
        .set({ sent: sql`${queueRuns.sent} + ${done.sent}`, failed: sql`${queueRuns.failed} + ${done.failed}`, updatedAt: new Date() })
        .where(eq(queueRuns.id, run.id));
    }
  } finally {
    // A batch claimed ahead but not sent (error above) goes straight back to pending.
    if (upcoming) await upcoming.then((c) => releaseClaim(c.token), () => undefined);
    await db.update(queueRuns).set({ finishedAt: new Date(), updatedAt: new Date() }).where(eq(queueRuns.id, run.id));
    if (ownsTransport) transport.close();
  }
  return summary;
}

import { eq, sql } from "drizzle-orm";
import type { GetStepTools } from "inngest";
import { db } from "@/db/client";
import { queueRuns } from "@/db/schema";
import { env } from "@/lib/env";
import { defaultEmailTransport } from "@/lib/mail/transport";
import { claim, claimStepToken, heldUnder, recoverExpiredLeases, type ClaimKind } from "@/lib/queue/claim";
import { deliverClaimed } from "@/lib/queue/deliver";
import { housekeeping } from "@/lib/queue/housekeeping";
import { applyEarlyReceipts } from "@/lib/queue/receipts";
import type { RunSummary } from "@/lib/queue/run";
import type { inngest } from "./client";

/**
 * Batches per run. Each batch is two steps (claim, send), so a run stays far below Inngest's
 * 1,000-step limit and its memoized state small; a longer queue continues in a fresh run.
 */
export const MAX_BATCHES = 40;

/** A runQueue summary, plus what the Inngest cut adds: its batches and whether a next run took over. */
export type PassSummary = RunSummary & { siteId: number | null; batches: number; continued: boolean };

/**
 * One pass over the queue as Inngest steps: the same work as `runQueue`, cut so that every
 * step is safe to replay. A claim step only takes rows, under a token its replays share (a
 * replay after the claim committed returns the same rows); a send step only sends rows still `sending` under
 * that claim's lease and records each outcome in the same step, so a replayed send finds them
 * finished and sends nothing again. Progress goes to `queue_runs` like every other runner's.
 */
export async function queuePass(options: {
  step: GetStepTools<typeof inngest>;
  kind: ClaimKind;
  siteId: number | null;
  /** Stable across the run's replays, unlike a pid: the run id. */
  runner: string;
  /** The event that starts the next run when this one stops with rows left. */
  continueWith: { stepId: string; event: string };
}): Promise<PassSummary> {
  const { step, kind, siteId, runner } = options;

  const recovered = await step.run("recover-expired-leases", () => recoverExpiredLeases(siteId));
  if (kind === "retry") {
    // Housekeeping: a failure is logged and must not fail (and retry) the pass. The periodic
    // retry pass also applies any receipt still waiting, even when nothing was sent since.
    await step.run("apply-waiting-receipts-first", () => applyEarlyReceipts(runner).catch((error) => (console.warn("[queue] could not apply waiting receipts", error), 0)));
    await step.run("housekeeping", () => housekeeping());
  }
  const runId = await step.run("record-run-start", async () => {
    const [run] = await db.insert(queueRuns).values({ siteId, kind, runner, recovered }).returning({ id: queueRuns.id });
    return run.id;
  });

  const summary: PassSummary = { runId, kind, siteId, batches: 0, claimed: 0, sent: 0, failed: 0, skipped: 0, deferred: 0, recovered, continued: false };
  let full = false;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const batch = await step.run(`claim-batch-${i}`, async () => {
      const limit = env.QUEUE_BATCH_SIZE;
      // Replayed after its claim committed (the result never reached Inngest): the same rows
      // again, already counted in the run's record by the claim's own statement.
      const token = claimStepToken(runId, i);
      const held = await heldUnder(token);
      if (held.length > 0) return { token, ids: held, full: held.length >= limit };
      const claimed = await claim({ kind, siteId, limit, actor: runner, token, countIn: runId });
      return { ...claimed, full: claimed.ids.length >= limit };
    });
    if (batch.ids.length === 0) {
      full = false;
      break;
    }
    full = batch.full;
    summary.batches++;
    summary.claimed += batch.ids.length;

    const done = await step.run(`send-batch-${i}`, async () => {
      const transport = defaultEmailTransport();
      try {
        const delivery = await deliverClaimed({ ids: batch.ids, token: batch.token, actor: runner, transport });
        await db
          .update(queueRuns)
          .set({
            sent: sql`${queueRuns.sent} + ${delivery.sent}`,
            failed: sql`${queueRuns.failed} + ${delivery.failed}`,
            deferred: sql`${queueRuns.deferred} + ${delivery.deferred}`,
            updatedAt: new Date(),
          })
          .where(eq(queueRuns.id, runId));
        return delivery;
      } finally {
        transport.close();
      }
    });
    summary.sent += done.sent;
    summary.failed += done.failed;
    summary.skipped += done.skipped;
    summary.deferred += done.deferred;
    if (!batch.full) break;
  }

  // Every batch came back full: there are probably rows left. A fresh run takes them (a
  // spurious one finds nothing); its concurrency key keeps it behind this run.
  if (summary.batches === MAX_BATCHES && full) {
    await step.sendEvent(options.continueWith.stepId, { name: options.continueWith.event, data: siteId ? { siteId } : {} });
    summary.continued = true;
  }

  // As runQueue does: a receipt stored while the outcome naming it was being committed waits
  // until a sweep applies it; a pass that sent something sweeps (an indexed lookup when none waits).
  if (summary.sent > 0) {
    await step.run("apply-waiting-receipts", () => applyEarlyReceipts(runner).catch((error) => (console.warn("[queue] could not apply waiting receipts", error), 0)));
  }

  await step.run("record-run-end", async () => {
    await db.update(queueRuns).set({ finishedAt: new Date(), updatedAt: new Date() }).where(eq(queueRuns.id, runId));
  });
  return summary;
}

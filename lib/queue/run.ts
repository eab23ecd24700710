import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queueRuns, type OutboundMessage } from "@/db/schema";
import { env } from "@/lib/env";
import { defaultEmailTransport, type EmailTransport } from "@/lib/mail/transport";
import { claimRows, leaseKeeper, recoverExpiredLeases, releaseClaim, type ClaimKind, type SendableRow } from "./claim";
import type { SmsResolver } from "@/lib/sms/resolve";
import { loadMessages, senders, sendOrSkip, sendsInFlight, stoppedRows } from "./deliver";
import { isDeferred } from "./record";
import { housekeeping } from "./housekeeping";
import { applyEarlyReceipts } from "./receipts";
import { outcomeBacklog, outcomeWriter, type OutcomeWriter } from "./outcome-writer";

export type RunSummary = {
  runId: number;
  kind: ClaimKind;
  claimed: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Given back until their sending hours open (lib/sms/sending-hours.ts). */
  deferred: number;
  recovered: number;
};

export const runnerId = (label: string) => `${label}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** `stopped`: its rows not to send, with their error (a STOP or an unsubscription since they were queued, stoppedRows). */
type Batch = { token: string; rows: SendableRow[]; next: number; unfinished: number; writer: OutcomeWriter; messageIds: number[]; stopped: Map<number, string> };

/**
 * One runner's pass over the queue, the same for every way in (Inngest, command, button,
 * embedded scheduler): recover expired leases, then claim batches and send them until nothing
 * is due (or `maxBatches`). The sends never wait for the database: the next batch is claimed and
 * read while the current one is sending (at most two batches are leased at once), outcomes are
 * written in the background, and the senders move from one batch to the next without draining
 * the SMTP pool in between. Progress goes to `queue_runs` at every batch for the queue screen.
 * A batch is let go once its outcomes are written, and a message's content once no batch still
 * leased needs it: a long drain holds two batches, not every one it sent.
 */
export async function runQueue(options: {
  kind: ClaimKind;
  siteId?: number | null;
  runner: string;
  transport?: EmailTransport;
  /** Each site's SMS transport (default: the site's configuration, lib/sms/resolve.ts). */
  sms?: SmsResolver;
  batchSize?: number;
  maxBatches?: number;
  /** How long a claim holds its rows between renewals (default QUEUE_LEASE_SECONDS). */
  leaseSeconds?: number;
}): Promise<RunSummary> {
  const transport = options.transport ?? defaultEmailTransport();
  const ownsTransport = !options.transport;
  const via = senders(transport, options.sms);
  const siteId = options.siteId ?? null;
  const recovered = await recoverExpiredLeases(siteId);
  await applyEarlyReceipts(options.runner);
  if (options.kind === "retry") await housekeeping();
  const [run] = await db
    .insert(queueRuns)
    .values({ siteId, kind: options.kind, runner: options.runner, recovered })
    .returning({ id: queueRuns.id });
  const summary: RunSummary = { runId: run.id, kind: options.kind, claimed: 0, sent: 0, failed: 0, skipped: 0, deferred: 0, recovered };
  const messages = new Map<number, OutboundMessage>();
  /** How many batches not yet finished use each message in `messages`. */
  const users = new Map<number, number>();
  const maxBatches = options.maxBatches ?? Infinity;
  const limit = options.batchSize ?? env.QUEUE_BATCH_SIZE;
  const leaseSeconds = options.leaseSeconds ?? env.QUEUE_LEASE_SECONDS;

  let progress: Promise<unknown> = Promise.resolve();
  const saveProgress = (finished = false) => {
    const values = { claimed: summary.claimed, sent: summary.sent, failed: summary.failed, deferred: summary.deferred, updatedAt: new Date(), ...(finished ? { finishedAt: new Date() } : {}) };
    progress = progress
      .then(() => db.update(queueRuns).set(values).where(eq(queueRuns.id, run.id)))
      .catch((error) => console.warn("[queue] could not save the run's progress", error));
    return progress;
  };

  const leases = leaseKeeper(leaseSeconds);
  /** The outcomes of all the batches held, not yet written: the senders wait on it, not on one batch's. */
  const backlog = outcomeBacklog();

  let taken = 0;
  const take = async (): Promise<Batch | null> => {
    if (taken++ >= maxBatches) return null;
    const askedAt = performance.now();
    const c = await claimRows({ kind: options.kind, siteId, limit, actor: options.runner, leaseSeconds });
    if (c.rows.length === 0) return null;
    leases.hold(c.token, askedAt);
    // Counted before loading: a message the finishing batch drops meanwhile is then kept or reloaded.
    const messageIds = [...new Set(c.rows.map((r) => r.messageId))];
    for (const id of messageIds) users.set(id, (users.get(id) ?? 0) + 1);
    await loadMessages(c.rows, messages);
    // Sites whose SMS hours are closed are found before the batch is handed out, and their other
    // due group SMS held in one go (siteHoursGate): the next claim, made after this, skips them.
    const hourly = new Set(c.rows.filter((r) => r.channel === "sms" && messages.get(r.messageId)?.keepsSmsHours).map((r) => r.siteId));
    const [stopped] = await Promise.all([stoppedRows(c.rows, messages), ...[...hourly].map((siteId) => via.hours.closedUntil(siteId).catch(() => null))]);
    return { token: c.token, rows: c.rows, next: 0, unfinished: c.rows.length, writer: outcomeWriter(c.token, options.runner, backlog), messageIds, stopped };
  };
  // Claimed ahead: awaited later, so a rejection must not count as unhandled in the meantime.
  const ahead = () => {
    const p = take();
    p.catch(() => undefined);
    return p;
  };

  /** Batches claimed and handed out whose outcomes are not all written yet. */
  const batches = new Set<Batch>();
  const writeErrors: unknown[] = [];
  /**
   * Every row of `batch` has its outcome: written in the background, then the batch is let go.
   * Its lease is kept renewed until the writes are done: a write tried again for a while after a
   * dropped connection must not find its rows recovered meanwhile (they went: they would go twice).
   */
  const finish = (batch: Batch) => {
    for (const id of batch.messageIds) {
      const left = (users.get(id) ?? 1) - 1;
      if (left > 0) {
        users.set(id, left);
      } else {
        users.delete(id);
        messages.delete(id);
      }
    }
    batch.writer
      .close()
      .catch((error) => void writeErrors.push(error))
      .finally(() => {
        leases.release(batch.token);
        batches.delete(batch);
      });
  };
  let current: Batch | null = null;
  let upcoming: Promise<Batch | null> | null = ahead();
  let advancing: Promise<Batch | null> | null = null;
  let stopped = false;
  const advance = async () => {
    const batch = await upcoming;
    upcoming = batch ? ahead() : null;
    if (batch) {
      batches.add(batch);
      summary.claimed += batch.rows.length;
      void saveProgress();
    }
    current = batch;
    advancing = null;
    return batch;
  };
  /** The next row to send, across batches; null when the pass is over. */
  const nextRow = async (): Promise<[Batch, SendableRow] | null> => {
    for (;;) {
      if (stopped) return null;
      const batch = current;
      if (batch && batch.next < batch.rows.length) {
        const unsent = () => batch.rows.slice(batch.next).map((r) => r.id);
        const ours = batch.writer.usable && (await leases.holding(batch.token, unsent));
        if (batch.next >= batch.rows.length) continue;
        if (ours) return [batch, batch.rows[batch.next++]];
        // The lease went to another runner (it expired while this one was paused), or outcomes can
        // no longer be written: none of the rest is sent here. Those still under this lease go
        // back to pending now rather than after it.
        const left = unsent();
        releaseClaim(batch.token, left).catch((error) => console.warn("[queue] could not give back unsent rows", error));
        summary.skipped += left.length;
        batch.unfinished -= left.length;
        batch.next = batch.rows.length;
        if (batch.unfinished === 0) finish(batch);
        continue;
      }
      if (!upcoming && !advancing) return null;
      advancing ??= advance();
      if (!(await advancing)) return null;
    }
  };
  const sender = async () => {
    for (let item = await nextRow(); item; item = await nextRow()) {
      const [batch, row] = item;
      const outcome = await sendOrSkip(row, messages.get(row.messageId)!, via, batch.stopped);
      if (outcome.ok) summary.sent++;
      else if (isDeferred(outcome)) summary.deferred++;
      else summary.failed++;
      batch.writer.push(outcome);
      if (--batch.unfinished === 0) finish(batch);
      // The database is behind: wait for it rather than pile up sends a crash would repeat.
      await batch.writer.room();
    }
  };

  try {
    const settled = await Promise.allSettled(Array.from({ length: sendsInFlight() }, () => sender().catch((e) => ((stopped = true), Promise.reject(e)))));
    const failure = settled.find((s) => s.status === "rejected");
    if (failure) throw failure.reason;
    // Batches still held: their writes are finishing, or their lease was lost with rows in flight.
    for (const batch of batches) await batch.writer.close();
    if (writeErrors.length) throw writeErrors[0];
    if (summary.deferred > 0) await via.hours.settle();
  } finally {
    stopped = true;
    // What was claimed but not handed out (an error above) goes straight back to pending: a
    // batch claimed ahead, and the rows of the current one no sender took yet.
    try {
      const giveBack = (token: string, ids?: number[]) => releaseClaim(token, ids).catch((error) => console.warn("[queue] could not give back unsent rows", error));
      const left = await Promise.resolve(upcoming).catch(() => null);
      if (left) await giveBack(left.token);
      for (const batch of batches) {
        const untouched = batch.rows.slice(batch.next).map((r) => r.id);
        batch.next = batch.rows.length;
        await giveBack(batch.token, untouched);
      }
      await Promise.allSettled([...batches].map((b) => b.writer.close()));
      if (summary.sent > 0) await applyEarlyReceipts(options.runner).catch((error) => console.warn("[queue] could not apply waiting receipts", error));
      await saveProgress(true);
    } finally {
      // Whatever failed above, the renewals stop: a lease kept alive by a finished run would hold
      // its rows `sending` for as long as the process lives.
      leases.stop();
      if (ownsTransport) transport.close();
    }
  }
  return summary;
}

import { and, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, type OutboundMessage, type QueueRow } from "@/db/schema";
import { classifySendError, plausibleEmail } from "@/lib/mail/classify";
import { composeEmail } from "@/lib/mail/compose";
import type { EmailTransport } from "@/lib/mail/transport";
import { recordOutcomes, type Outcome } from "./record";

export type Delivery = { sent: number; failed: number; skipped: number };

/**
 * Outcomes are written in groups as they come: every FLUSH_EVERY outcomes or FLUSH_MS after the
 * first unwritten one, whichever is first. A crash loses at most that group (those rows are
 * resent after their lease expires); larger groups would save database work per message.
 */
const FLUSH_EVERY = 50;
const FLUSH_MS = 50;

/**
 * Sends the rows of one claim. Only rows still `sending` under this lease are sent: when a step
 * is replayed, or the lease expired and another runner took over, the rows are found finished or
 * foreign and nothing goes out twice. Sends run `concurrency` at a time (the SMTP pool's size).
 */
export async function deliverClaimed(options: {
  ids: number[];
  token: string;
  actor: string;
  transport: EmailTransport;
  concurrency?: number;
  messages?: Map<number, OutboundMessage>;
  onProgress?: (delta: { sent: number; failed: number }) => void;
}): Promise<Delivery> {
  if (options.ids.length === 0) return { sent: 0, failed: 0, skipped: 0 };
  const leased = await db
    .select()
    .from(queue)
    .where(and(inArray(queue.id, options.ids), eq(queue.leaseToken, options.token), eq(queue.status, "sending")));
  const messages = options.messages ?? new Map<number, OutboundMessage>();
  const missing = [...new Set(leased.map((r) => r.messageId))].filter((id) => !messages.has(id));
  if (missing.length) for (const m of await db.select().from(outboundMessages).where(inArray(outboundMessages.id, missing))) messages.set(m.id, m);

  const result: Delivery = { sent: 0, failed: 0, skipped: options.ids.length - leased.length };
  let buffer: Outcome[] = [];
  let flushing: Promise<unknown> = Promise.resolve();
  // A failed write must neither crash the process (an unhandled rejection while sends go on) nor
  // stop later outcomes from being written: keep the first error, go on, rethrow at the end.
  let recordError: unknown = null;
  let lost = false;
  const flush = () => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return flushing;
    flushing = flushing
      .then(async () => {
        const recorded = await recordOutcomes(options.token, options.actor, batch);
        if (recorded.length < batch.length) lost = true; // the lease went to another runner
      })
      .catch((error) => {
        recordError ??= error;
      });
    return flushing;
  };
  const push = (o: Outcome) => {
    if (o.ok) result.sent++;
    else result.failed++;
    options.onProgress?.({ sent: o.ok ? 1 : 0, failed: o.ok ? 0 : 1 });
    buffer.push(o);
    if (buffer.length >= FLUSH_EVERY) void flush();
    else if (buffer.length === 1) setTimeout(() => buffer.length > 0 && void flush(), FLUSH_MS);
  };

  let next = 0;
  const worker = async () => {
    while (next < leased.length && !lost) {
      const row = leased[next++];
      push(await sendOne(row, messages.get(row.messageId)!, options.transport));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 5, leased.length) }, worker));
  await flush();
  if (recordError) throw recordError;
  return result;
}

async function sendOne(row: QueueRow, message: OutboundMessage, transport: EmailTransport): Promise<Outcome> {
  if (row.channel !== "email") return { id: row.id, ok: false, transient: false, error: `no sender for channel ${row.channel}` };
  if (!plausibleEmail(row.recipient)) return { id: row.id, ok: false, transient: false, error: `malformed address: ${row.recipient}` };
  try {
    const { providerMessageId } = await transport.send(composeEmail(message, row), { siteId: row.siteId, queueId: row.id });
    return { id: row.id, ok: true, providerMessageId };
  } catch (error) {
    const failure = classifySendError(error);
    return { id: row.id, ok: false, transient: failure.transient, error: failure.message };
  }
}

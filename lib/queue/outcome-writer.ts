import { applyEarlyReceipts } from "./receipts";
import { recordOutcomes, type Outcome } from "./record";

/**
 * Outcomes are written in groups as they come: every FLUSH_EVERY outcomes or FLUSH_MS after the
 * first unwritten one, whichever is first. A crash loses at most that group (those rows are
 * resent after their lease expires); larger groups would save database work per message.
 */
const FLUSH_EVERY = 50;
const FLUSH_MS = 50;

export type OutcomeWriter = {
  push(outcome: Outcome): void;
  /** Writes what is buffered now; resolves when every write so far has finished. */
  flush(): Promise<unknown>;
  /** Flushes, waits, and throws the first write error if there was one. */
  close(): Promise<void>;
  /** True once a write found rows no longer under this lease (another runner owns them). */
  readonly lost: boolean;
};

/**
 * The outcomes of one claim (one lease token), written in order without the sender waiting for
 * them. A failed write must neither crash the process (an unhandled rejection while sends go on)
 * nor stop later outcomes from being written: the first error is kept and thrown by `close`.
 */
export function outcomeWriter(token: string, actor: string): OutcomeWriter {
  let buffer: Outcome[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let error: unknown = null;
  let lost = false;
  const flush = () => {
    const group = buffer;
    buffer = [];
    if (group.length === 0) return chain;
    chain = chain
      .then(async () => {
        const recorded = await recordOutcomes(token, actor, group);
        if (recorded.length < group.length) lost = true;
        // An SMSC may report delivery before the row was recorded sent: apply what waited.
        const sms = group.flatMap((o) => (o.ok && o.channel === "sms" ? [o.providerMessageId] : []));
        if (sms.length) await applyEarlyReceipts(actor, { channel: "sms", providerMessageIds: sms });
      })
      .catch((e) => {
        error ??= e;
      });
    return chain;
  };
  return {
    push(outcome) {
      buffer.push(outcome);
      if (buffer.length >= FLUSH_EVERY) void flush();
      else if (buffer.length === 1) setTimeout(() => buffer.length > 0 && void flush(), FLUSH_MS);
    },
    flush,
    async close() {
      await flush();
      if (error) throw error;
    },
    get lost() {
      return lost;
    },
  };
}

import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { applyEarlyReceipts } from "./receipts";
import { recordOutcomes, type Outcome } from "./record";

/**
 * Outcomes are written in groups as they come: every FLUSH_EVERY outcomes or FLUSH_MS after the
 * first unwritten one, whichever is first. Each write has a fixed cost (the statement, its
 * counters' statement-level trigger: ~2.5 ms of PostgreSQL's CPU), so a fast drain writes a
 * default batch (QUEUE_BATCH_SIZE, 200) in one statement: groups of 200 instead of 50 cut the
 * database's CPU per SMS by a fifth (bench/sms-drain.ts, docs/sms-benchmarks.md), while a slow
 * transport still has its outcomes written within FLUSH_MS. Senders never wait for a write,
 * unless BACKLOG_MAX outcomes are still unwritten (one group being written, one filling): a crash
 * then resends at most those and the sends in flight (their rows are recovered when their lease
 * expires), however slow the database is at that moment. Counted over every claim a runner holds
 * (outcomeBacklog, shared by its writers), not per claim: a claim of the default batch never
 * holds BACKLOG_MAX outcomes, and a runner moves on to its next claim while the last one's are
 * being written, so a limit per claim held nothing back.
 */
const FLUSH_EVERY = 200;
const FLUSH_MS = 50;
export const BACKLOG_MAX = 2 * FLUSH_EVERY;

/** The outcomes pushed and not yet written by the writers that share it, and the senders waiting for room. */
export type OutcomeBacklog = { unwritten: number; waiting: (() => void)[] };
export const outcomeBacklog = (): OutcomeBacklog => ({ unwritten: 0, waiting: [] });

/**
 * A write that fails (a dropped connection, a failover, a deadlock) is tried again after these
 * pauses, about 16 s in all, well within a lease: given up, its messages, which did go, would be
 * sent a second time once their lease expires. Trying again is safe: a group already committed
 * (the answer was lost, not the write) finds its rows recorded, and writes nothing twice.
 */
const RETRY_PAUSES_MS = [200, 500, 1000, 2000, 4000, 8000];

export type OutcomeWriter = {
  push(outcome: Outcome): void;
  /** Resolves at once, or once the unwritten outcomes (of every writer sharing its backlog) are fewer than BACKLOG_MAX. */
  room(): Promise<void>;
  /** Writes what is buffered now; resolves when every write so far has finished. */
  flush(): Promise<unknown>;
  /** Flushes, waits, and throws the first write error if there was one. */
  close(): Promise<void>;
  /** True once a write found rows under another lease (theirs expired and another runner took them). */
  readonly lost: boolean;
  /**
   * Whether more of this claim may be sent: not lost, and no write given up (a message sent now
   * could not be recorded, and would go again once its lease expired).
   */
  readonly usable: boolean;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Of rows an outcome write did not record, whether any now belongs to someone else: recovered
 * (no lease) or claimed again (another lease). Rows still under `token` were recorded by an
 * earlier try of the same write, and rows that no longer exist (their message was deleted) are
 * nobody's: neither means the batch's other rows were taken.
 */
async function takenOver(token: string, ids: number[]): Promise<boolean> {
  const found = await db.execute(sql`
    select 1 from queue where id = any(${`{${ids.join(",")}}`}::bigint[]) and lease_token is distinct from ${token}::uuid limit 1`);
  return rows(found).length > 0;
}

/**
 * The outcomes of one claim (one lease token), written in order without the sender waiting for
 * them. A failed write must neither crash the process (an unhandled rejection while sends go on)
 * nor stop later outcomes from being written: it is tried again, and if it still fails the first
 * error is kept and thrown by `close` (and `usable` turns false: the senders stop). Receipts that
 * came before their row was recorded are applied beside the writes, not in their line, so they
 * never hold the senders back; a failure there is only logged (the next sweep applies them).
 */
export function outcomeWriter(token: string, actor: string, backlog: OutcomeBacklog = outcomeBacklog()): OutcomeWriter {
  let buffer: Outcome[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let receipts: Promise<unknown> = Promise.resolve();
  let error: unknown = null;
  let lost = false;

  const write = async (group: Outcome[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const recorded = new Set(await recordOutcomes(token, actor, group));
        const missing = group.filter((o) => !recorded.has(o.id)).map((o) => o.id);
        if (missing.length && (await takenOver(token, missing))) lost = true;
        return;
      } catch (e) {
        if (attempt >= RETRY_PAUSES_MS.length) throw e;
        // The driver's own words, not the whole statement (drizzle's error quotes it).
        const reason = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
        console.warn(`[queue] could not record ${group.length} outcomes, trying again: ${reason}`);
        await pause(RETRY_PAUSES_MS[attempt]);
      }
    }
  };
  const written = (count: number) => {
    backlog.unwritten -= count;
    if (backlog.unwritten >= BACKLOG_MAX) return;
    const ready = backlog.waiting;
    backlog.waiting = [];
    for (const resolve of ready) resolve();
  };
  const flush = () => {
    const group = buffer;
    buffer = [];
    if (group.length === 0) return Promise.all([chain, receipts]);
    chain = chain
      .then(async () => {
        await write(group);
        // An SMSC may report delivery before the row was recorded sent: apply what waited (a
        // long SMS's later parts included: a failed part's receipt ends the row in error).
        const sms = group.flatMap((o) => (o.ok && o.channel === "sms" ? [o.providerMessageId, ...(o.partIds ?? [])] : []));
        if (sms.length) {
          // Not this writer's failure: the outcomes are written, and the next sweep applies them.
          receipts = receipts
            .then(() => applyEarlyReceipts(actor, { channel: "sms", providerMessageIds: sms }))
            .catch((e) => console.warn("[queue] could not apply waiting receipts", e));
        }
      })
      .catch((e) => void (error ??= e))
      .finally(() => written(group.length));
    return Promise.all([chain, receipts]);
  };
  return {
    push(outcome) {
      buffer.push(outcome);
      backlog.unwritten++;
      if (buffer.length >= FLUSH_EVERY) void flush();
      else if (buffer.length === 1) setTimeout(() => buffer.length > 0 && void flush(), FLUSH_MS);
    },
    room() {
      return backlog.unwritten < BACKLOG_MAX ? Promise.resolve() : new Promise<void>((resolve) => backlog.waiting.push(resolve));
    },
    flush,
    async close() {
      await flush();
      // Receipts queued by the last writes.
      await receipts;
      if (error) throw error;
    },
    get lost() {
      return lost;
    },
    get usable() {
      return !lost && error === null;
    },
  };
}

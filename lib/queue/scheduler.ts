import { env } from "@/lib/env";
import { runQueue, runnerId } from "./run";
import type { ClaimKind } from "./claim";

/**
 * The embedded default's runner, for when Inngest is not configured: the server sends pending
 * messages shortly after each enqueue and every 2 minutes, and retries errors every 5 minutes,
 * so a newcomer's mail leaves without cron. One pass of each kind at a time per process.
 */
type State = { started: boolean; running: Set<ClaimKind>; again: Set<ClaimKind>; kickTimer?: NodeJS.Timeout };
const KEY = Symbol.for("chora.queue.scheduler");
const state = (): State => ((globalThis as Record<symbol, State>)[KEY] ??= { started: false, running: new Set(), again: new Set() });

export const SEND_EVERY_MS = 2 * 60_000;
export const RETRY_EVERY_MS = 5 * 60_000;
const KICK_DELAY_MS = 300;

/**
 * `everyMinute` are other due-time jobs of the embedded default (scheduled newsletter sends),
 * passed in so the queue does not depend on the features that use it.
 */
export function startScheduler(everyMinute: (() => Promise<unknown>)[] = []) {
  const s = state();
  if (s.started || env.inngestEnabled || env.QUEUE_SCHEDULER === "off") return false;
  s.started = true;
  setInterval(() => void pass("send"), SEND_EVERY_MS).unref();
  setInterval(() => void pass("retry"), RETRY_EVERY_MS).unref();
  for (const job of everyMinute) {
    setInterval(() => job().catch((error) => console.error("[scheduler] job failed", error)), 60_000).unref();
  }
  void pass("send"); // whatever was left pending while the server was down
  return true;
}

/** Called after an enqueue: a send pass soon, coalescing bursts of enqueues into one pass. */
export function kickScheduler() {
  const s = state();
  if (!s.started) return;
  clearTimeout(s.kickTimer);
  s.kickTimer = setTimeout(() => void pass("send"), KICK_DELAY_MS);
}

async function pass(kind: ClaimKind) {
  const s = state();
  if (s.running.has(kind)) {
    s.again.add(kind); // something arrived during this pass: go round once more after it
    return;
  }
  s.running.add(kind);
  try {
    do {
      s.again.delete(kind);
      await runQueue({ kind, runner: runnerId(`scheduler-${kind}`) });
    } while (s.again.has(kind));
  } catch (error) {
    console.error(`[queue] embedded ${kind} pass failed`, error);
  } finally {
    s.running.delete(kind);
  }
}

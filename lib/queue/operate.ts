import { and, eq, type SQL } from "drizzle-orm";
import { queue } from "@/db/schema";
import { listSites } from "@/lib/sites/manage";
import { cancelPending, setPending } from "./manage";
import { notifyEnqueued } from "./notify";
import { runQueue, runnerId } from "./run";

/** The queue screen's operations. `siteId: null` = every site (superuser). */

async function notifySites(siteId: number | null) {
  if (siteId !== null) return notifyEnqueued(siteId);
  for (const site of await listSites()) await notifyEnqueued(site.id);
}

/** Back to pending (always resent), then the runner is told there is work. */
export async function requeue(where: SQL, actor: string, siteId: number | null): Promise<number> {
  const changed = await setPending(where, actor);
  if (changed > 0) await notifySites(siteId);
  return changed;
}

export const cancel = (where: SQL, actor: string) => cancelPending(where, actor);

/**
 * Starts a send pass and returns at once: the page answers immediately and the counts move
 * live while it runs. A failure is logged; the rows it left are recovered by the next pass.
 */
export function startSendRun(siteId: number | null): void {
  runQueue({ kind: "send", siteId, runner: runnerId("button") }).catch((error) => {
    console.error("[queue] send run started from the queue screen failed", error);
  });
}

/**
 * "Resend messages in error": every `error` row of the scope goes back to pending — not only
 * the retryable ones, people asked for all — then a send pass starts.
 */
export async function resendErrors(siteId: number | null, actor: string): Promise<number> {
  const where = siteId === null ? eq(queue.status, "error") : and(eq(queue.siteId, siteId), eq(queue.status, "error"))!;
  const changed = await setPending(where, actor);
  startSendRun(siteId);
  return changed;
}

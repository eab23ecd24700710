import { cron, eventType } from "inngest";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { queuePass } from "@/inngest/queue-pass";

/** Sent after every enqueue (`lib/queue/notify.ts`) and by a run that stopped with rows left. */
export const queueEnqueued = eventType("queue/enqueued", {
  schema: z.object({ siteId: z.number().int().positive().optional() }),
});

/**
 * Sends pending rows: of one site soon after they were queued, of every site every 2 minutes
 * (whatever an event missed). One run at a time per site; the cron run and site-less events
 * share the key "all". Claims skip rows another run holds, so runs of different keys never
 * send the same row.
 */
export const sendPending = inngest.createFunction(
  {
    id: "queue-send-pending",
    name: "Queue: send pending messages",
    triggers: [cron("*/2 * * * *"), queueEnqueued],
    concurrency: { limit: 1, key: `has(event.data.siteId) ? string(event.data.siteId) : "all"` },
    retries: 3,
  },
  async ({ event, step, runId }) => {
    const siteId = event.name === "queue/enqueued" ? (event.data.siteId ?? null) : null;
    return queuePass({
      step,
      kind: "send",
      siteId,
      runner: `inngest-send:${runId}`,
      continueWith: { stepId: "continue-sending", event: queueEnqueued.name },
    });
  },
);

import { cron, eventType } from "inngest";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { queuePass } from "@/inngest/queue-pass";

/** Sent by a retry run that stopped with rows left, so the next one goes on at once (the queue screen's buttons run the queue in the web process). */
export const queueRetryRequested = eventType("queue/retry-requested", {
  schema: z.object({ siteId: z.number().int().positive().optional() }),
});

/**
 * Resends rows in `error` that are marked retryable and whose backoff has passed, every 5
 * minutes for every site, or for one site on request. Permanent errors are never taken.
 */
export const retryErrors = inngest.createFunction(
  {
    id: "queue-retry-errors",
    name: "Queue: retry transient errors",
    triggers: [cron("*/5 * * * *"), queueRetryRequested],
    concurrency: { limit: 1, key: `has(event.data.siteId) ? string(event.data.siteId) : "all"` },
    retries: 3,
  },
  async ({ event, step, runId }) => {
    const siteId = event.name === "queue/retry-requested" ? (event.data.siteId ?? null) : null;
    return queuePass({
      step,
      kind: "retry",
      siteId,
      runner: `inngest-retry:${runId}`,
      continueWith: { stepId: "continue-retrying", event: queueRetryRequested.name },
    });
  },
);

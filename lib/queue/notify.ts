import { env } from "@/lib/env";
import { kickScheduler } from "./scheduler";

/**
 * Tells whoever runs the queue that rows arrived: an Inngest event when Inngest is configured,
 * else the embedded scheduler. A failure here never fails the enqueue: the rows are stored and
 * the 2-minute pass sends them anyway.
 */
export async function notifyEnqueued(siteId: number) {
  if (!env.inngestEnabled) return kickScheduler();
  try {
    const { inngest } = await import("@/inngest/client");
    await inngest.send({ name: "queue/enqueued", data: { siteId } });
  } catch (error) {
    console.error("[queue] could not notify Inngest; the cron pass will send", error);
  }
}

import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { queueDueSends } from "@/lib/newsletters/send";

/**
 * Scheduled newsletter sends whose time has come get their recipients queued, every minute.
 * (Without Inngest the embedded scheduler calls the same function.) Safe to overlap or replay:
 * each send is queued under a row lock and only while still due, so it is queued once.
 */
export const newsletterQueueDueSends = inngest.createFunction(
  {
    id: "newsletter-queue-due-sends",
    name: "Newsletters: queue scheduled sends",
    triggers: [cron("* * * * *")],
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ step }) => {
    const queued = await step.run("queue-due-sends", () => queueDueSends());
    return { queued };
  },
);

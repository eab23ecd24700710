import { newsletterQueueDueSends } from "./functions/queue-due-sends";
import { retryErrors } from "./functions/retry-errors";
import { sendPending } from "./functions/send-pending";

/** Every Inngest function the app serves (app/api/inngest/route.ts). */
export const functions = [sendPending, retryErrors, newsletterQueueDueSends];

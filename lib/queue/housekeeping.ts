import { purgeOldReplies } from "@/lib/sms/reply-retention";
import { purgeOldReceipts } from "./receipts";

/**
 * What the periodic retry pass also does, whichever runner runs it: delete receipts past their
 * retention and SMS replies past theirs. A failure is logged and never fails the pass.
 */
export async function housekeeping(): Promise<void> {
  for (const [what, job] of [
    ["old receipts", purgeOldReceipts],
    ["old SMS replies", purgeOldReplies],
  ] as const) {
    await job().catch((error) => console.warn(`[queue] could not purge ${what}`, error));
  }
}

import { purgeEndedSessions } from "@/lib/auth/ended-sessions";
import { purgeExpiredRegistrations } from "@/lib/auth/registration";
import { purgeExpiredSignupLinks } from "@/lib/newsletters/signup";
import { keepIncompleteSms } from "@/lib/sms/opt-out";
import { purgeOldReplies } from "@/lib/sms/reply-retention";
import { purgeOldReceipts } from "./receipts";

/**
 * What the periodic retry pass also does, whichever runner runs it: delete receipts past their
 * retention and SMS replies past theirs, keep long SMS replies whose last parts never came, and
 * forget self-registrations whose link expired (they hold a password hash for nothing) and
 * newsletter signup links that expired (an address and a consent record for nothing), and
 * signed-out sessions whose cookie has expired anyway.
 * A failure is logged and never fails the pass.
 */
export async function housekeeping(): Promise<void> {
  for (const [what, job] of [
    ["purge old receipts", purgeOldReceipts],
    ["purge old SMS replies", purgeOldReplies],
    ["keep incomplete long SMS replies", keepIncompleteSms],
    ["purge expired registrations", purgeExpiredRegistrations],
    ["purge expired newsletter signup links", purgeExpiredSignupLinks],
    ["purge ended sessions past their expiry", purgeEndedSessions],
  ] as const) {
    await job().catch((error) => console.warn(`[queue] could not ${what}`, error));
  }
}

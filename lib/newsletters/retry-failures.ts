import { and, asc, eq, gt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, queue, type OutboundMessage } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { plausibleEmail } from "@/lib/mail/classify";
import { loadMessages, stoppedRows } from "@/lib/queue/deliver";
import { errorReason } from "@/lib/queue/error-reason";
import { setPending } from "@/lib/queue/manage";
import { notifyEnqueued } from "@/lib/queue/notify";
import { E164 } from "@/lib/sms/url";
import { isErasedRecipient } from "@/lib/queue/erased-recipient";

/**
 * Why a failure is left out of "Retry the failures": its number is on the SMS opt-out list, its
 * address (or the subscriber who gave its number) unsubscribed or was erased, or its recipient is
 * not a number or address at all.
 */
export type LeftOutReason = "optedOut" | "unsubscribed" | "invalid";
export type LeftOut = Record<LeftOutReason, number>;

/** What "Retry the failures" would do now: the rows it resends, and how many it leaves out, by reason. */
export type RetryPlan = { ids: number[]; leftOut: LeftOut };

/** Failed rows read and sorted at a time. */
const PLAN_PAGE = 5_000;

const noneLeftOut = (): LeftOut => ({ optedOut: 0, unsubscribed: 0, invalid: 0 });

/** The queue's own note for a row it would stop (stoppedRows), as the reason the retry gives. */
function reasonOfNote(note: string): LeftOutReason {
  const key = errorReason(note)?.key;
  return key === "optedOut" || key === "optedOutByAdmin" || key === "optedOutByProvider" || key === "optedOutByReply" ? "optedOut" : "unsubscribed";
}

/**
 * The send's rows in error, split into those a retry can send and those that would only fail
 * again. The decision is the queue's own, made now rather than read from the stored error: a
 * row the delivery step would stop (stoppedRows: opted out, unsubscribed, erased) or refuse
 * unsent (a recipient that is no number or address) is left out, so an opt-out taken back since
 * makes its row retriable again. Other permanent errors (a mailbox refused, a number unknown to
 * the operator) stay in: a person asked to try again, and a provider's answer can change.
 */
export async function retryPlan(siteId: number, messageId: number): Promise<RetryPlan> {
  const plan: RetryPlan = { ids: [], leftOut: noneLeftOut() };
  const messages = new Map<number, OutboundMessage>();
  // A page of rows at a time, in id order (the (message_id, id) index): a send to a million
  // people can have tens of thousands of failures, which are not all held at once.
  for (let after = 0; ; ) {
    const failed = await db
      .select({ id: queue.id, siteId: queue.siteId, messageId: queue.messageId, channel: queue.channel, recipient: queue.recipient, recipientName: queue.recipientName, variables: queue.variables })
      .from(queue)
      .where(and(eq(queue.messageId, messageId), eq(queue.siteId, siteId), eq(queue.status, "error"), gt(queue.id, after)))
      .orderBy(asc(queue.id))
      .limit(PLAN_PAGE);
    if (failed.length === 0) break;
    await loadMessages(failed, messages);
    const stopped = await stoppedRows(failed, messages);
    for (const row of failed) {
      const note = stopped.get(row.id);
      const valid = row.channel === "sms" ? E164.test(row.recipient) : plausibleEmail(row.recipient);
      // An erased person's row no longer says who it was for (lib/newsletters/erase.ts).
      if (isErasedRecipient(row.recipient)) plan.leftOut.unsubscribed++;
      else if (note) plan.leftOut[reasonOfNote(note)]++;
      else if (!valid) plan.leftOut.invalid++;
      else plan.ids.push(row.id);
    }
    if (failed.length < PLAN_PAGE) break;
    after = failed[failed.length - 1].id;
  }
  return plan;
}

/**
 * "Retry the failures" of one send: its rows in error that can still go (retryPlan) go back to
 * pending and leave again; the others stay as they are, instead of failing once more and adding
 * two entries to their history. Says how many went back and how many were left out, and why.
 */
export async function retrySendFailures(siteId: number, sendId: number, actor: string): Promise<{ resent: number; leftOut: LeftOut }> {
  const [send] = await db.select().from(newsletterSends).where(and(eq(newsletterSends.id, sendId), eq(newsletterSends.siteId, siteId)));
  if (!send?.messageId) throw new ActionError({ key: "errors.notFound" });
  const { ids, leftOut } = await retryPlan(siteId, send.messageId);
  // Only rows still in error: one retried or resent by hand since the plan was made is not counted twice.
  const resent = ids.length
    ? await setPending(
        sql`message_id = ${send.messageId} and site_id = ${siteId} and status = 'error'
            and id in (select value::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
        actor,
      )
    : 0;
  if (resent > 0) await notifyEnqueued(siteId);
  return { resent, leftOut };
}

import { inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, type OutboundMessage, type SmsOptOutSource } from "@/db/schema";
import { classifySendError, plausibleEmail } from "@/lib/mail/classify";
import { composeEmail, composeSms } from "@/lib/mail/compose";
import { perRun, smsForSite, type SmsResolver } from "@/lib/sms/resolve";
import { isSmsSendError } from "@/lib/sms/transport";
import { env } from "@/lib/env";
import { E164 } from "@/lib/sms/url";
import { leftTheAudience, numbersLeftTheAudience } from "@/lib/newsletters/left-the-audience";
import { erasedNow, queuedBeforeErasure } from "@/lib/newsletters/erased-contact";
import type { EmailTransport } from "@/lib/mail/transport";
import { leaseKeeper, releaseClaim, takeOverClaim, type SendableRow } from "./claim";
import { outcomeWriter } from "./outcome-writer";
import { isDeferred, type Outcome } from "./record";
import { ERASED_NOTE, MALFORMED_ADDRESS_PREFIX, NOT_E164_PREFIX, NUMBER_UNSUBSCRIBED_NOTE, OPTED_OUT_BY_ADMIN_NOTE, OPTED_OUT_BY_PROVIDER_NOTE, OPTED_OUT_BY_REPLY_NOTE, UNSUBSCRIBED_NOTE } from "./notes";
import { siteHoursGate, type HoursGate } from "@/lib/sms/site-hours";

export type Delivery = { sent: number; failed: number; skipped: number; deferred: number };

/** Email sends kept waiting per SMTP connection, beyond the one each connection is sending. */
const EMAIL_BACKLOG_PER_CONNECTION = 3;

/**
 * How many sends a runner keeps in flight. The SMTP pool works on its own thread
 * (lib/mail/smtp-worker.mjs) and a finished send is only replaced after a round trip through the
 * runner's thread: with one message per connection the pool idles meanwhile, with a few more
 * queued behind it it does not (bench/queue-drain.ts, 5 connections: 10 in flight 0.83–0.88 of raw
 * nodemailer's rate, 20 in flight 1.0). An SMPP window needs as many as it has slots.
 */
export const sendsInFlight = () => Math.max(env.SMTP_POOL_SIZE * (1 + EMAIL_BACKLOG_PER_CONNECTION), env.SMS_WINDOW);

/** Adds to `messages` the content of every message these rows belong to that it lacks. */
export async function loadMessages(leased: SendableRow[], messages: Map<number, OutboundMessage>) {
  const missing = [...new Set(leased.map((r) => r.messageId))].filter((id) => !messages.has(id));
  if (missing.length) for (const m of await db.select().from(outboundMessages).where(inArray(outboundMessages.id, missing))) messages.set(m.id, m);
}

/** A number on the opt-out list stops its SMS with the note of how it got there (reply STOP, provider, admin). */
const OPTED_OUT_NOTES: Record<SmsOptOutSource, string> = { reply: OPTED_OUT_BY_REPLY_NOTE, provider: OPTED_OUT_BY_PROVIDER_NOTE, admin: OPTED_OUT_BY_ADMIN_NOTE };

/**
 * The rows of group SMS (`keepsSmsHours`: a template sent to a group or a list) whose number left
 * the audience of its send since they were queued (numbersLeftTheAudience), each with its error:
 * a STOP received while the send waited for its hours or while a long drain reached it, or an
 * unsubscription by email, "from everything" (the RFC 8058 one-click POST too) or from the
 * send's group: the audience would leave the number out now, so the queued SMS stops as the
 * person's newsletters do. They end at `error` instead of going (sendOrSkip). Test SMS and
 * answers to replies are not group sends, and go as queued (an answer to an opted-out number is
 * refused when it is written, lib/sms/replies.ts). One query per claim, not per row.
 */
export async function stoppedTexts(leased: SendableRow[], messages: Map<number, OutboundMessage>): Promise<Map<number, string>> {
  const group = leased.filter((r) => r.channel === "sms" && messages.get(r.messageId)?.keepsSmsHours);
  const found = await numbersLeftTheAudience(group.map((r) => ({ id: r.id, siteId: r.siteId, messageId: r.messageId, phone: r.recipient })));
  return new Map(found.map((r) => [r.id, r.optedOut ? OPTED_OUT_NOTES[r.optedOut] : NUMBER_UNSUBSCRIBED_NOTE]));
}

/**
 * The rows of newsletter emails (a template sent to groups or a list) whose address unsubscribed
 * since they were queued: "unsubscribe from everything" (the RFC 8058 one-click POST too), or
 * leaving the group the send was for (leftTheAudience). They end at `error` instead of going,
 * as a STOP does for SMS, which also holds for a failed row the retry runner takes again and for
 * one set back to pending by hand. Checked here rather than when the person unsubscribes: that
 * would have to cancel their rows in every send, and a send being queued at that very moment
 * or a "Retry the failures" later would bring rows back. Other emails (password reset,
 * confirmation links, test sends) go as queued. One query per claim, made while the previous
 * batch is sending (runQueue).
 */
export async function unsubscribedRows(leased: SendableRow[], messages: Map<number, OutboundMessage>): Promise<Set<number>> {
  const letters = leased.filter((r) => r.channel === "email" && messages.get(r.messageId)?.kind === "newsletter");
  return new Set(await leftTheAudience(letters.map((r) => ({ id: r.id, siteId: r.siteId, messageId: r.messageId, email: r.recipient }))));
}

/**
 * The rows of signup confirmations and answers to SMS replies queued before their recipient was
 * erased from the site (queuedBeforeErasure): the erasure cancelled those still waiting, but a
 * sent one set back to pending or retried later would reach the person again. (Newsletters' rows
 * are stopped by the audience checks above, which read the erasure too.)
 */
async function erasedRecipients(leased: SendableRow[], messages: Map<number, OutboundMessage>): Promise<number[]> {
  const personal = leased.filter((r) => {
    const kind = messages.get(r.messageId)?.kind;
    return (r.channel === "email" && kind === "subscription_confirm") || (r.channel === "sms" && kind === "sms_reply");
  });
  return queuedBeforeErasure(personal);
}

/**
 * The rows of a claim not to send, each with the error it ends at (stoppedTexts, unsubscribedRows,
 * erasedRecipients). A row stopped because its person was erased on request says so (ERASED_NOTE),
 * whichever check stopped it: the audience checks stop an erased address or number as having left,
 * and their person never unsubscribed. A number on the opt-out list keeps its own note (the STOP,
 * the provider or the admin): that is the number's own objection. The erasures are looked up only
 * among the rows stopped as unsubscribed, so a claim with none costs no query more.
 */
export async function stoppedRows(leased: SendableRow[], messages: Map<number, OutboundMessage>): Promise<Map<number, string>> {
  const [texts, unsubscribed, personal] = await Promise.all([stoppedTexts(leased, messages), unsubscribedRows(leased, messages), erasedRecipients(leased, messages)]);
  const left = leased.filter((r) => unsubscribed.has(r.id) || texts.get(r.id) === NUMBER_UNSUBSCRIBED_NOTE);
  const erased = [...personal, ...(await erasedNow(left))];
  return new Map([...texts, ...[...unsubscribed].map((id) => [id, UNSUBSCRIBED_NOTE] as const), ...erased.map((id) => [id, ERASED_NOTE] as const)]);
}

/**
 * The note the queue would stop this row at, unsent, were it set back to pending (stoppedRows):
 * its person unsubscribed, opted out or was erased on request. Null: it would go.
 */
export async function stoppedNoteOf(row: SendableRow, message: OutboundMessage): Promise<string | null> {
  return (await stoppedRows([row], new Map([[message.id, message]]))).get(row.id) ?? null;
}

/** Sends a row, or ends it at a final error without trying when it is among `stopped` (stoppedRows). */
export function sendOrSkip(row: SendableRow, message: OutboundMessage, senders: Senders, stopped: Map<number, string>): Promise<Outcome> {
  const note = stopped.get(row.id);
  return note ? Promise.resolve({ id: row.id, ok: false, transient: false, error: note }) : sendOne(row, message, senders);
}

/**
 * Sends the rows of one claim. Only rows still `sending` under this lease are sent, and they are
 * first moved to a lease of this call's own (takeOverClaim): when a step is replayed, or run
 * twice at once, or the lease expired and another runner took over, the rows are found finished
 * or foreign and nothing goes out twice. Sends run `concurrency` at a time (default: sendsInFlight()).
 * On an error, the rows no send was started for go back to pending at once.
 */
export async function deliverClaimed(options: {
  ids: number[];
  token: string;
  actor: string;
  transport: EmailTransport;
  sms?: SmsResolver;
  concurrency?: number;
  messages?: Map<number, OutboundMessage>;
  /** The claim's lease length, renewed while sending (default QUEUE_LEASE_SECONDS). */
  leaseSeconds?: number;
}): Promise<Delivery> {
  if (options.ids.length === 0) return { sent: 0, failed: 0, skipped: 0, deferred: 0 };
  // The claim was made in an earlier step, maybe long ago. Rows already recovered by another
  // runner are no longer `sending` under it, and skipped.
  const askedAt = performance.now();
  const { token, rows: leased } = await takeOverClaim(options.ids, options.token, options.leaseSeconds);
  const leases = leaseKeeper(options.leaseSeconds);
  leases.hold(token, askedAt);
  const messages = options.messages ?? new Map<number, OutboundMessage>();
  const result: Delivery = { sent: 0, failed: 0, skipped: options.ids.length - leased.length, deferred: 0 };
  const writer = outcomeWriter(token, options.actor);
  let next = 0;
  try {
    await loadMessages(leased, messages);
    const stopped = await stoppedRows(leased, messages);
    const via = senders(options.transport, options.sms);
    const worker = async () => {
      while (next < leased.length && writer.usable) {
        if (!(await leases.holding(token, () => leased.slice(next).map((r) => r.id)))) break;
        if (next >= leased.length) break;
        const row = leased[next++];
        const outcome = await sendOrSkip(row, messages.get(row.messageId)!, via, stopped);
        if (outcome.ok) result.sent++;
        else if (isDeferred(outcome)) result.deferred++;
        else result.failed++;
        writer.push(outcome);
        await writer.room();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? sendsInFlight(), leased.length) }, worker));
    result.skipped += leased.length - next;
    await writer.close();
    if (result.deferred > 0) await via.hours.settle();
  } catch (error) {
    await releaseClaim(token, leased.slice(next).map((r) => r.id)).catch(() => undefined);
    await writer.close().catch(() => undefined);
    throw error;
  } finally {
    leases.stop();
  }
  return result;
}

/**
 * How a row leaves, per channel: one email transport, and each site's SMS transport; `hours`
 * tells whether a site's SMS sending hours are closed (one gate per run, see siteHoursGate).
 */
export type Senders = { email: EmailTransport; sms: SmsResolver; hours: HoursGate };

export const senders = (email: EmailTransport, sms: SmsResolver = smsForSite): Senders => ({ email, sms: perRun(sms), hours: siteHoursGate() });

export async function sendOne(row: SendableRow, message: OutboundMessage, senders: Senders): Promise<Outcome> {
  try {
    if (row.channel === "sms") {
      // Checked when sending, not only when queued: a retry, a row set back to pending by hand or
      // a long send that runs past closing time waits for the hours like the rest.
      const opensAt = message.keepsSmsHours ? await senders.hours.closedUntil(row.siteId) : null;
      if (opensAt) return { id: row.id, ok: false, deferredUntil: opensAt };
      if (!E164.test(row.recipient)) return { id: row.id, ok: false, transient: false, error: `${NOT_E164_PREFIX}${row.recipient}` };
      const transport = await senders.sms(row.siteId);
      const { providerMessageId, partIds, account } = await transport.send(composeSms(message, row));
      return { id: row.id, ok: true, providerMessageId, channel: "sms", ...(partIds?.length ? { partIds } : {}), ...(account ? { account } : {}) };
    }
    if (!plausibleEmail(row.recipient)) return { id: row.id, ok: false, transient: false, error: `${MALFORMED_ADDRESS_PREFIX}${row.recipient}` };
    const { providerMessageId } = await senders.email.send(composeEmail(message, row), { siteId: row.siteId, queueId: row.id });
    return { id: row.id, ok: true, providerMessageId };
  } catch (error) {
    const failure = isSmsSendError(error) ? { transient: error.transient, message: error.message } : classifySendError(error);
    return { id: row.id, ok: false, transient: failure.transient, error: failure.message };
  }
}

import { and, asc, eq, lte, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { messageStatusCounts, messageTemplates, newsletterSends, outboundMessages, sites, type MessageTemplate, type NewsletterSend, type SendWindow, type Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { isUniqueViolation } from "@/lib/db-utils";
import { addRecipientsSelect, enqueue } from "@/lib/queue/enqueue";
import { enqueueOneSms } from "@/lib/sms/send-test";
import { notifyEnqueued } from "@/lib/queue/notify";
import { earliestPending } from "@/lib/queue/stats";
import { siteBaseUrl } from "@/lib/sites/url";
import { audienceRows, countAudience, smsAudienceCost, type AudienceSpec } from "./audience";
import { unsubscribeToken, unsubscribeUrl } from "./keys";
import { templateUnknownPlaceholders } from "./placeholders";
import { recentSendOf, type RecentSend } from "./recent-send";
import { newsletterContent, smsContent, unsubscribeLabel } from "./render";
import { SMS_TEXT_MAX } from "@/lib/sms/segments";
import { nextOpening, publicHolidays, sendWindowOf } from "@/lib/sms/sending-hours";
import { siteOpening, siteSendWindow } from "@/lib/sms/site-hours";

/**
 * Who the template reaches; an SMS template's pasted national numbers are read in `site`'s
 * country, and a subscriber whose language is unknown reads the site's.
 */
export const audienceOf = (t: MessageTemplate, site?: Pick<Site, "defaultCountry" | "defaultLocale">): AudienceSpec => ({
  siteId: t.siteId,
  groupIds: t.groupIds,
  pasted: t.pastedRecipients,
  channel: t.channel,
  country: site?.defaultCountry,
  readers: t.audienceLocale,
  siteLocale: site?.defaultLocale,
});

/**
 * The content one send of the template stores in the queue, as an email or as an SMS. A group
 * SMS keeps its site's sending hours, whatever they are when it leaves (a test SMS does not).
 */
const contentOf = async (site: Site, template: MessageTemplate, actorId: number | null) =>
  template.channel === "sms" ? { ...smsContent(site, template, actorId), keepsSmsHours: true } : newsletterContent(site, template, actorId, await unsubscribeLabel(site, template));

/** The first line of a text, cut to `max` characters: what an SMS send is called in its report. */
const excerpt = (text: string, max = 80) => {
  const line = text.trim().split(/\r?\n/)[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** What stops a template from going out, as translated messages (empty: it can be sent). */
export function sendBlockers(t: MessageTemplate) {
  const problems: { key: string; values?: Record<string, string> }[] = [];
  const unknown = templateUnknownPlaceholders(t);
  if (unknown.length) problems.push({ key: "errors.unknownPlaceholders", values: { names: unknown.join(", ") } });
  if (t.channel === "sms") {
    if (!t.text.trim()) problems.push({ key: "errors.bodyRequired" });
    // Saved before the limit existed, or written straight to the database: not sent as it is.
    if (t.text.length > SMS_TEXT_MAX) problems.push({ key: "errors.tooLong", values: { max: String(SMS_TEXT_MAX) } });
    return problems;
  }
  if (!t.subject.trim()) problems.push({ key: "errors.subjectRequired" });
  if (!t.html.trim() && !t.text.trim()) problems.push({ key: "errors.bodyRequired" });
  return problems;
}

export async function getTemplate(siteId: number, id: number) {
  const [t] = await db.select().from(messageTemplates).where(and(eq(messageTemplates.siteId, siteId), eq(messageTemplates.id, id)));
  return t ?? null;
}

type SendOptions = { actorId: number; scheduledAt?: Date | null; requestKey?: string | null };

/**
 * "Send": a new send of the template, never merged with an earlier one, except the one made by
 * the same request (`requestKey`, drawn once per confirmation): that request arriving again, a
 * retry after its answer was lost, gets the send it made instead of sending everything twice.
 */
export async function sendTemplate(site: Site, template: MessageTemplate, options: SendOptions) {
  try {
    return await createSend(site, template, options);
  } catch (error) {
    // The key is taken by this request's first attempt: done earlier, or committed while this
    // insert waited for it. A first attempt that failed left no row, so it is sent again.
    const earlier = options.requestKey && isUniqueViolation(error) ? await sendOfRequest(site.id, options.requestKey) : null;
    if (earlier?.templateId === template.id) return earlier;
    // The key of another template's send: no retry of this request but a forged or mixed-up one.
    if (earlier) throw new ActionError({ key: "errors.checkFields" });
    throw error;
  }
}

async function sendOfRequest(siteId: number, requestKey: string) {
  const [send] = await db
    .select()
    .from(newsletterSends)
    .where(and(eq(newsletterSends.siteId, siteId), eq(newsletterSends.requestKey, requestKey)));
  return send ?? null;
}

/**
 * The content is fixed now; the recipients are taken when the send is queued (now, or at
 * `scheduledAt`), one queue row per distinct confirmed recipient, inserted by the database
 * without loading them here. A send now is one transaction, message to recipients: one that
 * fails half-way leaves nothing, rather than a send marked queued that nobody would ever queue
 * (only scheduled ones are).
 */
async function createSend(site: Site, template: MessageTemplate, options: SendOptions) {
  const blockers = sendBlockers(template);
  if (blockers.length) throw new ActionError(blockers[0]);
  const content = await contentOf(site, template, options.actorId);
  const later = !!options.scheduledAt && options.scheduledAt.getTime() > Date.now() + 30_000;
  const send = await db.transaction(async (tx) => {
    const [message] = await tx
      .insert(outboundMessages)
      .values({ siteId: site.id, ...content, headers: content.headers ?? {}, attachments: [] })
      .returning({ id: outboundMessages.id });
    const [created] = await tx
      .insert(newsletterSends)
      .values({
        siteId: site.id,
        templateId: template.id,
        messageId: message.id,
        status: later ? "scheduled" : "queued",
        // An SMS has no subject: its report and the sends list show the start of its text instead.
        subject: template.channel === "sms" ? excerpt(content.text) : content.subject,
        scheduledAt: later ? options.scheduledAt : null,
        createdBy: options.actorId,
        requestKey: options.requestKey ?? null,
      })
      .returning();
    return later ? created : queueSendIn(tx, created.id);
  });
  if (!later) await announceQueued(send);
  return send;
}

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** Inserts the recipients of a send (once: the row is locked and must still be due). */
export async function queueSend(sendId: number) {
  const queued = await db.transaction((tx) => queueSendIn(tx, sendId));
  await announceQueued(queued);
  return queued;
}

/** queueSend's work, inside the caller's transaction (the queue is told after it commits). */
async function queueSendIn(tx: Tx, sendId: number) {
  const result = await tx.execute(sql`
    select s.id, s.site_id, s.template_id, s.message_id, s.status from newsletter_sends s where s.id = ${sendId} for update`);
  const send = rows<{ id: number; site_id: number; template_id: number | null; message_id: number | null; status: string }>(result)[0];
  if (!send || !send.message_id || (send.status === "queued" && (await alreadyQueued(tx, Number(send.message_id))))) return null;
  if (send.status === "cancelled") return null;
  const [template] = send.template_id ? await tx.select().from(messageTemplates).where(eq(messageTemplates.id, send.template_id)) : [];
  // Shared: a save of the site's SMS hours waits for these rows, then retimes them too.
  const [site] = await tx.select().from(sites).where(eq(sites.id, send.site_id)).for("share");
  const spec: AudienceSpec = template ? audienceOf(template, site) : { siteId: site.id, groupIds: [], pasted: "" };
  const recipients = await audienceRows(spec, siteBaseUrl(site), tx);
  const channel = spec.channel ?? "email";
  // Queued outside its hours: the rows wait for them instead of being claimed and given back.
  const [message] = await tx.select({ keepsSmsHours: outboundMessages.keepsSmsHours }).from(outboundMessages).where(eq(outboundMessages.id, Number(send.message_id)));
  const notBefore = message?.keepsSmsHours ? siteOpening(site) : null;
  const n = await addRecipientsSelect({ siteId: site.id, messageId: Number(send.message_id), channel, recipients, notBefore, tx });
  const [updated] = await tx
    .update(newsletterSends)
    .set({ status: "queued", queuedAt: new Date(), recipientCount: n })
    .where(eq(newsletterSends.id, sendId))
    .returning();
  return updated;
}

/** Wakes the queue's workers for a send's rows, once they are committed and visible to them. */
async function announceQueued(send: NewsletterSend | null) {
  if (send) await notifyEnqueued(send.siteId, { rows: send.recipientCount ?? 0 });
}

async function alreadyQueued(tx: Pick<typeof db, "execute">, messageId: number) {
  const result = await tx.execute(sql`select 1 from queue where message_id = ${messageId} limit 1`);
  return rows(result).length > 0;
}

/**
 * Scheduled sends whose time has come (the embedded scheduler, an Inngest cron and the queue
 * command's send pass call this), of one site or (null) every site.
 * One that fails stays scheduled for the next pass, and does not hold back those after it.
 */
export async function queueDueSends(siteId: number | null = null): Promise<number> {
  const due = await db
    .select({ id: newsletterSends.id })
    .from(newsletterSends)
    .where(and(eq(newsletterSends.status, "scheduled"), lte(newsletterSends.scheduledAt, new Date()), siteId === null ? undefined : eq(newsletterSends.siteId, siteId)))
    .orderBy(asc(newsletterSends.scheduledAt), asc(newsletterSends.id));
  let queued = 0;
  for (const { id } of due) {
    try {
      if (await queueSend(id)) queued++;
    } catch (error) {
      console.error(`[newsletters] send ${id} could not be queued; the next pass tries again`, error);
    }
  }
  return queued;
}

export async function cancelScheduledSend(siteId: number, sendId: number) {
  const [send] = await db
    .update(newsletterSends)
    .set({ status: "cancelled" })
    .where(and(eq(newsletterSends.id, sendId), eq(newsletterSends.siteId, siteId), eq(newsletterSends.status, "scheduled")))
    .returning();
  if (!send) throw new ActionError({ key: "errors.notFound" });
}

/** A test send to one address, through the queue, with that address's own unsubscribe link. */
export async function testSend(site: Site, template: MessageTemplate, address: string, actorId: number) {
  if (template.channel !== "email") throw new ActionError({ key: "errors.wrongChannel" });
  const blockers = sendBlockers(template);
  if (blockers.length) throw new ActionError(blockers[0]);
  const token = await unsubscribeToken(site.id, address);
  const content = newsletterContent(site, template, actorId, await unsubscribeLabel(site, template));
  return enqueue({
    siteId: site.id,
    message: { ...content, kind: "newsletter_test", subject: content.subject },
    recipients: [{ address, variables: { unsubscribe_url: unsubscribeUrl(siteBaseUrl(site), token) } }],
  });
}

/**
 * A test of an SMS template to one number, through the queue like any SMS (the number read in
 * the site's country; `locale`, the reader's, names it if the number is refused).
 */
export async function testSendSms(site: Site, template: MessageTemplate, to: string, actorId: number, locale: string) {
  if (template.channel !== "sms") throw new ActionError({ key: "errors.wrongChannel" });
  const blockers = sendBlockers(template);
  if (blockers.length) throw new ActionError(blockers[0]);
  const content = smsContent(site, template, actorId);
  return enqueueOneSms(site.id, { ...content, kind: "newsletter_test" }, to, locale);
}

/** Counts per queue status of one send, for its report. */
export async function sendReport(siteId: number, sendId: number) {
  const [send] = await db.select().from(newsletterSends).where(and(eq(newsletterSends.id, sendId), eq(newsletterSends.siteId, siteId)));
  if (!send) return null;
  const counts: Record<string, number> = { pending: 0, sending: 0, sent: 0, error: 0, delivered: 0 };
  // Errors the retry runner will take again: the send is not over while some remain.
  let retrying = 0;
  // The earliest time a pending row waits for (its SMS sending hours): null when none waits.
  let waitsUntil: Date | null = null;
  if (send.status === "scheduled") waitsUntil = await scheduledOutsideHours(siteId, send);
  else if (send.messageId) {
    // Kept by the queue's triggers (migration 0040): a few rows, however large the send.
    const found = await db.select().from(messageStatusCounts).where(eq(messageStatusCounts.messageId, send.messageId));
    for (const r of found) {
      counts[r.status] += Number(r.n);
      if (r.status === "error" && r.retryable) retrying += Number(r.n);
    }
    if (counts.pending > 0) waitsUntil = await firstWaiting(send.messageId);
  }
  return { send, counts, retrying, waitsUntil };
}

/**
 * When the first of a message's pending rows waiting for later (their SMS sending hours) is due,
 * else null (earliestPending: the pending index read in time order from now).
 */
async function firstWaiting(messageId: number): Promise<Date | null> {
  const [first] = rows<{ at: string | Date | null }>(await db.execute(sql`select ${earliestPending(sql`next_attempt_at > now() and message_id = ${messageId}`)} as at`));
  return first?.at ? new Date(first.at) : null;
}

/**
 * A group SMS scheduled at a time its site's SMS hours are closed: when it will really leave
 * (the hours as they are now), else null.
 */
async function scheduledOutsideHours(siteId: number, send: NewsletterSend): Promise<Date | null> {
  if (!send.scheduledAt || !send.messageId) return null;
  const [message] = await db.select({ keepsSmsHours: outboundMessages.keepsSmsHours }).from(outboundMessages).where(eq(outboundMessages.id, send.messageId));
  const window = message?.keepsSmsHours ? await siteSendWindow(siteId) : null;
  // A send overdue (its scheduler was down) is queued now: it leaves from now, not from its time.
  const from = new Date(Math.max(send.scheduledAt.getTime(), Date.now()));
  const opens = window ? nextOpening(window, from) : null;
  return opens && opens > from ? opens : null;
}

export { countAudience };

/**
 * What a send would reach now, before anything is queued: the recipients, and for an SMS the
 * segments it would cost in all (the text exactly as the send would store it).
 */
export async function sendPreviewCount(site: Site, template: MessageTemplate): Promise<SendPreview> {
  const readers = template.audienceLocale;
  const recent = await recentSendOf(site.id, template.id);
  if (template.channel !== "sms") return { count: await countAudience(audienceOf(template, site)), segments: null, hours: null, opensAt: null, readers, recent };
  const cost = await smsAudienceCost(audienceOf(template, site), smsContent(site, template, null).text);
  const window = sendWindowOf(site);
  const opens = siteOpening(site);
  return {
    ...cost,
    readers,
    recent,
    hours: window && { ...window, holidays: window.skipHolidays ? holidaysAround(window.country) : [] },
    // Closed now: a send now waits until then (null: it would leave at once).
    opensAt: opens.getTime() > Date.now() + 1000 ? opens.toISOString() : null,
  };
}

/**
 * A country's public holidays this year and next ("YYYY-MM-DD"): enough for a dialog to place a
 * schedule, which may be at most 366 days ahead (scheduleSchema).
 */
const holidaysAround = (country: string) => {
  const year = new Date().getUTCFullYear();
  return [...publicHolidays(country, year), ...publicHolidays(country, year + 1)];
};

export type SendPreview = {
  count: number;
  segments: number | null;
  /** The site's SMS sending hours, when it has some (an SMS template). */
  /** The site's SMS sending hours when it has some (an SMS template), with its public holidays of this year and the next. */
  hours: (SendWindow & { holidays: string[] }) | null;
  opensAt: string | null;
  /** The only language whose subscribers it reaches (null: every language). */
  readers: string | null;
  /** A send of it made in the last day, or still scheduled: sending again is rarely meant. */
  recent: RecentSend | null;
};

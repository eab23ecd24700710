import { and, desc, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { smsOptOuts, smsReplies, type QueueStatus, type Site, type SmsReplyAction } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { csvHeaders, pagedCsvStream, STABLE_CSV, type CsvFormat } from "@/lib/csv";
import { notifyEnqueued } from "@/lib/queue/notify";
import { keysetPage, keysetSql, type KeysetOptions } from "@/lib/paging";
import { keysetFields, parseUrlFilters, urlBigId, urlFilterQuery, type UrlInput } from "@/lib/url-filters";
import { numberPrefix, phonePrefixWhere } from "./opt-out-list";
import { formatPhone, normalizePhone } from "./phone";
import { rowMayChange } from "@/lib/queue/may-change";
import { siteLocale } from "@/lib/i18n/reader-locale";
import { enqueueOneSms, smsSender } from "./send-test";
import { E164 } from "./url";

/* ---------- The SMS replies screen's filters, as they travel in the URL (page, export, links). ---------- */

export const replyKinds = ["message", "opt_out", "opt_in"] as const;
export type ReplyKind = (typeof replyKinds)[number];
export const answeredChoices = ["yes", "no"] as const;
/**
 * `q`: the start of a number, already the start of an E.164 number; `kind`: an ordinary message,
 * a STOP or a START; `answered`: whether an admin answered it (to work through the questions).
 */
export type ReplyFilters = { q?: string; kind?: ReplyKind; answered?: (typeof answeredChoices)[number]; after?: number; before?: number };

/** Valid filters (the number read in the site's country), plus the names of those given but not understood. */
export function parseReplyFilters(input: UrlInput, country: string) {
  return parseUrlFilters<ReplyFilters>(
    {
      q: z.string().transform((s, ctx) => numberPrefix(s, country) ?? (ctx.addIssue({ code: "custom" }), z.NEVER)),
      kind: z.enum(replyKinds),
      answered: z.enum(answeredChoices),
      ...keysetFields(urlBigId),
    },
    input,
  );
}

export const replyQuery = (filters: ReplyFilters, extra: Record<string, string | number | undefined> = {}) => urlFilterQuery(filters, extra);

/** One site's replies, filtered: a number prefix through the (site_id, phone, id) index. */
export function repliesWhere(siteId: number, f: Omit<ReplyFilters, "after" | "before"> = {}): SQL {
  const parts: SQL[] = [eq(smsReplies.siteId, siteId)];
  if (f.q) parts.push(phonePrefixWhere(smsReplies.phone, f.q));
  if (f.kind === "message") parts.push(isNull(smsReplies.action));
  else if (f.kind) parts.push(eq(smsReplies.action, f.kind));
  if (f.answered) parts.push(f.answered === "yes" ? gt(smsReplies.answers, 0) : eq(smsReplies.answers, 0));
  return and(...parts)!;
}

export type ReplyRow = {
  id: number;
  phone: string;
  text: string;
  action: SmsReplyAction | null;
  receivedAt: Date;
  /** A subscription of the site with this number, to say who wrote (the most recent one). */
  subscriber: { email: string; name: string } | null;
  /** How many answers were sent, and the latest one's queue row: how it went. */
  answers: number;
  answer: ReplyAnswer | null;
};

/** An answer's queue row, as the screen shows it; `retryable` and `at` (sent, else last changed: ISO) say whether it may still move. */
type ReplyAnswer = { queueId: number; status: QueueStatus; retryable: boolean; at: string };

/**
 * Whether an answer's badge may still move by itself (the screen follows it then): on its way,
 * to be retried, or sent and its receipt still possible (rowMayChange). Once delivered, the
 * screen lets it be.
 */
export function answerMayChange(answer: ReplyAnswer): boolean {
  const at = new Date(answer.at);
  return answer.status !== "delivered" && rowMayChange({ status: answer.status, channel: "sms", retryable: answer.retryable, sentAt: at, updatedAt: at });
}

const parsedJson = <T>(value: unknown): T | null => (typeof value === "string" ? (JSON.parse(value) as T) : ((value ?? null) as T | null));

/** One page, newest first, keyset-paginated on id (`after` = the last id seen, `before` = the first). */
export async function listReplies(where: SQL, options: KeysetOptions<number> & { siteId: number }) {
  const page = await keysetPage(options, ({ cursor, back, take }) => repliesBeyond(where, options.siteId, cursor, back, take), (r) => r.id);
  const rows: ReplyRow[] = page.rows.map((r) => ({ ...r, subscriber: parsedJson(r.subscriber), answer: parsedJson(r.answer) }));
  return { rows, next: page.next, prev: page.prev };
}

/** The replies on one side of a cursor, nearest first (lib/paging.ts), their JSON columns unread. */
function repliesBeyond(where: SQL, siteId: number, cursor: number | undefined, back: boolean, take: number) {
  const k = keysetSql("desc", back);
  return db
    .select({
      id: smsReplies.id,
      phone: smsReplies.phone,
      text: smsReplies.text,
      action: smsReplies.action,
      receivedAt: smsReplies.receivedAt,
      // Qualified by hand: inside the subquery, Drizzle's bare column names would be the subscription's own.
      subscriber: sql<{ email: string; name: string } | null>`(
        select json_build_object('email', s.email, 'name', s.name) from subscriptions s
         where s.site_id = ${siteId} and s.phone = "sms_replies"."phone" order by s.id desc limit 1)`,
      answers: smsReplies.answers,
      answer: sql<ReplyAnswer | null>`(
        select json_build_object('queueId', q.id, 'status', q.status, 'retryable', q.retryable, 'at', coalesce(q.sent_at, q.updated_at)) from queue q
         where q.message_id = "sms_replies"."answer_message_id" order by q.id limit 1)`,
    })
    .from(smsReplies)
    .where(cursor === undefined ? where : and(where, sql`${smsReplies.id} ${k.beyond} ${cursor}`))
    .orderBy(sql`${smsReplies.id} ${k.nearest}`)
    .limit(take);
}

/**
 * The id of the site's newest reply, or null: the replies screen counts news past it
 * (lib/sms/replies-follow.ts). One step down sms_replies_site_id_idx, whatever the table's size.
 */
export async function latestReplyId(siteId: number): Promise<number | null> {
  const [last] = await db.select({ id: smsReplies.id }).from(smsReplies).where(eq(smsReplies.siteId, siteId)).orderBy(desc(smsReplies.id)).limit(1);
  return last ? Number(last.id) : null;
}

/* ---------- CSV export. ---------- */

export const REPLY_CSV_COLUMNS = ["received_at", "phone", "text", "action", "subscriber_email", "subscriber_name", "answers", "last_answer_status"] as const;

/** The filtered replies as CSV, read in keyset batches as the client downloads it. */
export function repliesCsvStream(where: SQL, siteId: number, format: CsvFormat = STABLE_CSV): ReadableStream<Uint8Array> {
  const { words } = format;
  return pagedCsvStream<number>(csvHeaders(REPLY_CSV_COLUMNS, "smsReplies.csv", words), async (after) => {
    const page = await listReplies(where, { after, limit: 5_000, siteId });
    const lines = page.rows.map((r) => [
      r.receivedAt, r.phone, r.text, r.action ? words(`smsReplies.kind.${r.action}`, r.action) : "", r.subscriber?.email ?? "", r.subscriber?.name ?? "",
      r.answers, r.answer ? words(`queue.status.${r.answer.status}`, r.answer.status) : "",
    ]);
    return { lines, next: page.next };
  }, format.delimiter);
}

/* ---------- Answering a reply. ---------- */

/**
 * An SMS back to the number a reply came from, through the queue like any other SMS. Not to a
 * sender that is not a number, nor to a number that opted out of the site's SMS (its STOP holds
 * for answers too). Only this site's replies: another id is "not found".
 */
export async function answerReply(site: Site, replyId: number, text: string, by: string) {
  const [reply] = await db.select().from(smsReplies).where(and(eq(smsReplies.siteId, site.id), eq(smsReplies.id, replyId)));
  if (!reply) throw new ActionError({ key: "errors.notFound" });
  if (!E164.test(reply.phone)) throw new ActionError({ key: "errors.cannotAnswer", values: { sender: reply.phone } });
  // Replies from any line are kept (a landline that can send SMS…), but an answer goes by SMS:
  // said here in the reply's words, not as a number typed in a field the form does not have.
  if (!normalizePhone(reply.phone, site.defaultCountry).ok) throw new ActionError({ key: "errors.cannotAnswerLine", values: { number: formatPhone(reply.phone) } });
  const [optedOut] = await db.select({ phone: smsOptOuts.phone }).from(smsOptOuts).where(and(eq(smsOptOuts.siteId, site.id), eq(smsOptOuts.phone, reply.phone)));
  if (optedOut) throw new ActionError({ key: "errors.optedOutNumber", values: { number: formatPhone(reply.phone) } });
  const message = {
    kind: "sms_reply",
    subject: "",
    text,
    fromName: "",
    fromAddress: smsSender(site),
    headers: { "X-Chora-Requested-By": by, "X-Chora-In-Reply-To": `sms-reply-${reply.id}` },
  };
  // The answer is queued and counted together: never sent uncounted, never counted unsent.
  const { messageId, queued } = await db.transaction(async (tx) => {
    // The reply's row is locked before the answer is queued: queueing locks the site's queue
    // counters (migration 0040's trigger) until this commits, and an erasure of the person
    // (lib/newsletters/erase.ts) deletes the reply before it takes those counters. Taken the other
    // way round, each waited for the other (a deadlock). Erased meanwhile: nothing to answer.
    const [still] = await tx.select({ id: smsReplies.id }).from(smsReplies).where(eq(smsReplies.id, reply.id)).for("update");
    if (!still) throw new ActionError({ key: "errors.notFound" });
    const enqueued = await enqueueOneSms(site.id, message, reply.phone, siteLocale(site.defaultLocale), tx);
    // Message ids only grow: two answers at once still leave the newer one as the latest.
    await tx
      .update(smsReplies)
      .set({ answers: sql`${smsReplies.answers} + 1`, answerMessageId: sql`greatest(coalesce(${smsReplies.answerMessageId}, 0), ${enqueued.messageId})` })
      .where(eq(smsReplies.id, reply.id));
    return enqueued;
  });
  if (queued > 0) await notifyEnqueued(site.id, { rows: queued });
  return { messageId, phone: formatPhone(reply.phone) };
}

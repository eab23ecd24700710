import { and, eq, gte, inArray, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, sites, type Channel, type QueueStatus } from "@/db/schema";
import { likePrefix } from "@/lib/db-utils";
import { emailSearchText } from "@/lib/idn";
import { keysetPage, keysetSql, type KeysetOptions, type KeysetRead } from "@/lib/paging";
import { fillPlaceholders } from "@/lib/mail/compose";
import { smsSegments } from "@/lib/sms/segments";
import { numberPrefix } from "@/lib/sms/opt-out-list";
import { DEFAULT_COUNTRY, isPhoneLike } from "@/lib/sms/phone";
import { dayAfter, type QueueFilters } from "./filters";
import { startOfDay, usableTimeZone } from "@/lib/time-zone";
import { HIDDEN_CONTENT_KINDS, hiddenContent } from "./hidden-content";
import { heldUntil } from "./held";
import { hasRecipient } from "./erased-recipient";

/** Above this many messages matching a subject, filter by a sub-select instead of an id list. */
const SUBJECT_IDS_MAX = 1000;

/**
 * The filters and site scope as one SQL condition on `queue` (unaliased, so lib/queue/manage.ts
 * can use it as is). Null means "matches nothing" (no message has that subject), so callers
 * can skip the query. `siteId: null` is every site (superuser).
 */
export async function queueWhere(f: QueueFilters, siteId: number | null, timeZone = "UTC"): Promise<SQL | null> {
  const parts: SQL[] = [];
  if (siteId !== null) parts.push(eq(queue.siteId, siteId));
  if (f.status) parts.push(eq(queue.status, f.status));
  if (f.channel) parts.push(f.channel === "sms" ? sql`${queue.channel} = 'sms'` : eq(queue.channel, f.channel));
  // Days as the screen shows dates: in the site's zone (the request's, lib/i18n/request.ts).
  if (f.from) parts.push(gte(queue.queuedAt, startOfDay(f.from, usableTimeZone(timeZone))));
  if (f.to) parts.push(lt(queue.queuedAt, startOfDay(dayAfter(f.to), usableTimeZone(timeZone))));
  if (f.message) parts.push(eq(queue.messageId, f.message));
  if (f.recipient) parts.push(await recipientSearch(f.recipient, siteId));
  if (f.subject) {
    const bySubject = await messagesWithSubject(f.subject, siteId);
    if (bySubject === null) return null;
    parts.push(bySubject);
  }
  return parts.length ? and(...parts)! : sql`true`;
}

/**
 * Recipients are stored normalised (emails lower-cased). The range on the text_pattern_ops
 * operators lets the recipient index serve the search even under a generic prepared plan,
 * where a parameterised LIKE could not; the LIKE keeps the match exact.
 */
function recipientPrefix(raw: string): SQL {
  // An address typed with its accented domain (ann@crème) is searched as stored (emailSearchText).
  const prefix = emailSearchText(raw);
  return sql`(${queue.recipient} ~>=~ ${prefix} and ${queue.recipient} ~<~ ${`${prefix}\u{10FFFF}`} and ${queue.recipient} like ${likePrefix(prefix)})`;
}

/**
 * A number typed as people write it ("06 12", "0033 6…") also finds the E.164 rows it starts
 * (+33612…), read in the site's country (every site's default country for "all sites").
 */
async function recipientSearch(raw: string, siteId: number | null): Promise<SQL> {
  if (!isPhoneLike(raw)) return recipientPrefix(raw);
  const [site] = siteId === null ? [] : await db.select({ country: sites.defaultCountry }).from(sites).where(eq(sites.id, siteId));
  const number = numberPrefix(raw, site?.country ?? DEFAULT_COUNTRY);
  return number ? sql`(${recipientPrefix(raw)} or ${recipientPrefix(number)})` : recipientPrefix(raw);
}

/** Messages are few and recipients many: find the messages first, then their rows. */
async function messagesWithSubject(text: string, siteId: number | null): Promise<SQL | null> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const match = and(
    siteId === null ? undefined : eq(outboundMessages.siteId, siteId),
    // An SMS has no subject: its text stands for it, except where the text holds a secret link
    // (a search on it would read the link a letter at a time).
    sql`(${outboundMessages.subject} ilike ${pattern} or (${outboundMessages.subject} = '' and ${notInArray(outboundMessages.kind, [...HIDDEN_CONTENT_KINDS])} and ${outboundMessages.text} ilike ${pattern}))`,
  );
  const found = await db.select({ id: outboundMessages.id }).from(outboundMessages).where(match).limit(SUBJECT_IDS_MAX + 1);
  if (found.length === 0) return null;
  if (found.length <= SUBJECT_IDS_MAX) return inArray(queue.messageId, found.map((m) => m.id));
  return sql`${queue.messageId} in (select ${outboundMessages.id} from ${outboundMessages} where ${match})`;
}

export type QueueListRow = {
  id: number;
  siteId: number;
  siteDomain: string;
  channel: Channel;
  recipient: string;
  recipientName: string;
  subject: string;
  status: QueueStatus;
  attempts: number;
  queuedAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  /** When a delivery receipt ended the row (delivered or not); before receipt_at existed, deliveredAt. */
  receiptAt: Date | null;
  lastError: string | null;
  /** In error and due for another automatic attempt. */
  retryable: boolean;
  providerMessageId: string | null;
  /** SMS only: how many segments the personalised text takes. */
  segments: number | null;
  /**
   * SMS only, when asked for (ListOptions.texts): the whole text as the person received it, where
   * `subject` has its start. Null for an email, and for a kind whose content is hidden (hiddenContent).
   */
  text: string | null;
  /** Pending but due later: held until its site's SMS sending hours open. */
  heldUntil: Date | null;
};

/**
 * The order of a page: newest first by id, or — when a date range is set — by `queued_at` then
 * id, so that the (site_id, queued_at, id) index jumps straight to the range instead of walking
 * every newer row. Ids and queued_at grow together, so both orders look the same to a reader.
 */
export type PageOrder = "id" | "queuedAt";
export const pageOrder = (f: Pick<QueueFilters, "from" | "to">): PageOrder => (f.from || f.to ? "queuedAt" : "id");

export type ListOptions = KeysetOptions<number> & {
  order?: PageOrder;
  allSites?: boolean;
  /** With allSites: the site ids, when the caller reads many pages (the CSV export) and has them. */
  siteIds?: number[];
  /** Compute each SMS row's segments (default true). */
  segments?: boolean;
  /** Give each SMS row's whole text (default false: the screen shows only its start, the CSV export all of it). */
  texts?: boolean;
};

/** Every site's id, for a page across all sites. */
export const allSiteIds = async () => (await db.select({ id: sites.id }).from(sites)).map((r) => r.id);

/** A page's order, read nearest the cursor first, on `columns` (the table's, or a sub-select's bare names). */
function orderSql(order: PageOrder, nearest: SQL, columns: { id: SQL; queuedAt: SQL }): SQL {
  return order === "id" ? sql`${columns.id} ${nearest}` : sql`${columns.queuedAt} ${nearest}, ${columns.id} ${nearest}`;
}

/** The ids of one page: a query on `queue` alone, which the screen's indexes can answer by themselves. */
function pageIds(where: SQL, order: PageOrder, { cursor, back, take }: KeysetRead<number>): SQL {
  const k = keysetSql("desc", back);
  const keyset =
    cursor === undefined
      ? sql`true`
      : order === "id"
        ? sql`${queue.id} ${k.beyond} ${cursor}`
        : sql`(${queue.queuedAt}, ${queue.id}) ${k.beyond} (select p.queued_at, p.id from ${queue} p where p.id = ${cursor})`;
  return sql`select ${queue.id}, ${queue.queuedAt} from ${queue} where ${where} and ${keyset} order by ${orderSql(order, k.nearest, { id: sql`${queue.id}`, queuedAt: sql`${queue.queuedAt}` })} limit ${take}`;
}

/**
 * One page of rows, newest first, keyset-paginated both ways (`after` = last id seen, `before` =
 * first id seen, lib/paging.ts) so the cost stays flat at any depth. Every site at once
 * (`allSites`, superuser) is one page per site merged: each reads its own site's indexes, which
 * all lead with site_id, instead of one walk over all rows.
 */
export async function listQueue(where: SQL | null, options: ListOptions = {}) {
  const order = options.order ?? "id";
  const none = { rows: [] as QueueListRow[], next: null, prev: null };
  if (where === null) return none;
  const siteIds = options.allSites ? (options.siteIds ?? (await allSiteIds())) : null;
  if (siteIds?.length === 0) return none;
  const page = await keysetPage(options, (read) => rowsBeyond(where, order, siteIds, read), (r) => r.id);
  const rows: QueueListRow[] = page.rows.map(({ variables, smsText, kind, ...r }) => {
    const sms = smsText === null ? null : fillPlaceholders(smsText, { phone: r.recipient, name: r.recipientName, ...variables });
    // Nobody reads a body that carries a secret link, not even its start (hiddenContent).
    const shown = sms !== null && !hiddenContent(kind) ? sms : null;
    return {
      ...r,
      // An SMS has no subject: the start of its text, as the person received it, stands for it.
      subject: sms === null ? fillPlaceholders(r.subject, { email: r.recipient, name: r.recipientName, ...variables }) : shown === null ? "" : excerpt(shown),
      segments: sms === null || options.segments === false ? null : smsSegments(sms).segments,
      text: options.texts ? shown : null,
    };
  });
  return { rows, next: page.next, prev: page.prev };
}

/** The rows on one side of a cursor, nearest first, with what a row of the screen shows. */
function rowsBeyond(where: SQL, order: PageOrder, siteIds: number[] | null, read: KeysetRead<number>) {
  const branches = siteIds ? siteIds.map((siteId) => pageIds(and(where, eq(queue.siteId, siteId))!, order, read)) : [pageIds(where, order, read)];
  const page = sql.join(
    branches.map((b) => sql`(${b})`),
    sql` union all `,
  );
  const { nearest } = keysetSql("desc", read.back);
  return db
    .select({
      id: queue.id,
      siteId: queue.siteId,
      siteDomain: sites.domain,
      channel: queue.channel,
      recipient: queue.recipient,
      recipientName: queue.recipientName,
      variables: queue.variables,
      subject: outboundMessages.subject,
      status: queue.status,
      attempts: queue.attempts,
      queuedAt: queue.queuedAt,
      sentAt: queue.sentAt,
      deliveredAt: queue.deliveredAt,
      receiptAt: sql<Date | null>`coalesce(${queue.receiptAt}, ${queue.deliveredAt})`.mapWith(queue.receiptAt),
      lastError: queue.lastError,
      retryable: queue.retryable,
      providerMessageId: queue.providerMessageId,
      smsText: sql<string | null>`case when ${queue.channel} = 'sms' then ${outboundMessages.text} end`,
      kind: outboundMessages.kind,
      heldUntil,
    })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .innerJoin(sites, eq(sites.id, queue.siteId))
    .where(sql`${queue.id} in (select id from (${page}) page order by ${orderSql(order, nearest, { id: sql`id`, queuedAt: sql`queued_at` })} limit ${read.take})`)
    .orderBy(orderSql(order, nearest, { id: sql`${queue.id}`, queuedAt: sql`${queue.queuedAt}` }))
    .limit(read.take);
}

const EXCERPT = 100;
const excerpt = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > EXCERPT ? `${Array.from(line).slice(0, EXCERPT - 1).join("")}…` : line;
};

/** The statuses each bulk change applies to (as lib/queue/manage.ts does). */
export const changeableStatuses = {
  pending: ["error", "sent", "delivered"],
  cancel: ["pending"],
} as const satisfies Record<string, readonly QueueStatus[]>;
export type BulkOp = keyof typeof changeableStatuses;

/** How many rows a bulk change would touch, for the confirmation step. */
export async function countChangeable(where: SQL | null, op: BulkOp): Promise<number> {
  if (where === null) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(queue)
    .where(and(where, inArray(queue.status, [...changeableStatuses[op]]), op === "pending" ? hasRecipient : undefined));
  return Number(row?.n ?? 0);
}

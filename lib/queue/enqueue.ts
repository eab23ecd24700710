import { eq, sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { outboundMessages, sites, type Attachment, type Channel } from "@/db/schema";
import { notifyEnqueued } from "./notify";

export type Recipient = { address: string; name?: string; locale?: string; variables?: Record<string, string> };
export type MessageContent = {
  kind: string;
  subject: string;
  text: string;
  html?: string | null;
  fromName: string;
  fromAddress: string;
  replyTo?: string | null;
  headers?: Record<string, string>;
  attachments?: Attachment[];
  createdBy?: number | null;
  /** A group SMS: it leaves only within its site's SMS sending hours. */
  keepsSmsHours?: boolean;
};

/**
 * Whether a message's rows are bulk (queue.bulk): newsletters, by email or SMS. Runners take
 * every other due row first (lib/queue/claim.ts), so that what one person is waiting for (a
 * password reset, a confirmation link, a test send, an answer to their SMS) never queues behind
 * a newsletter. Written as a subquery (an insert evaluates it once); `messageId` is an id, or a
 * column when rows set back to pending take it again (lib/queue/manage.ts).
 */
export const bulkMessage = (messageId: number | SQL) => sql`exists (select 1 from outbound_messages m where m.id = ${messageId} and m.kind = 'newsletter')`;

/** Recipients per INSERT statement. */
export const ENQUEUE_CHUNK = 5_000;

/** What enqueueing writes with: `db`, or a caller's transaction. */
type Writer = Pick<typeof db, "select" | "insert" | "execute">;

/**
 * The only way the application sends: stores the content once and one queue row per distinct
 * recipient, all or nothing (never a message without its rows). Enqueueing the same (message,
 * recipient, channel) twice inserts nothing the second time. Returns the message id and how
 * many rows were actually queued.
 *
 * Pass `tx` to make it part of the caller's transaction (a reply counted as answered only if
 * its answer was queued); the caller then notifies (notifyEnqueued) after committing. On PGlite
 * (one connection) a large list holds other queries until it is stored: the price of all or nothing.
 */
export async function enqueue(input: { siteId: number; channel?: Channel; message: MessageContent; recipients: Recipient[]; tx?: Writer }) {
  const channel = input.channel ?? "email";
  // Numbers are checked before any transaction opens: on PGlite an open one holds every other query.
  const recipients = channel === "sms" ? await phoneRecipients(input.tx ?? db, input.siteId, input.recipients) : input.recipients;
  const write = async (tx: Writer) => {
    const [message] = await tx
      .insert(outboundMessages)
      .values({ siteId: input.siteId, ...input.message, headers: input.message.headers ?? {}, attachments: input.message.attachments ?? [] })
      .returning({ id: outboundMessages.id });
    const queued = await addRecipients(input.siteId, message.id, channel, recipients, tx);
    return { messageId: message.id, queued };
  };
  if (input.tx) return write(input.tx);
  const result = await db.transaction(write);
  if (result.queued > 0) await notifyEnqueued(input.siteId, { rows: result.queued });
  return result;
}

/**
 * Adds recipients to an existing message, in chunks so 100,000 rows never become one giant
 * statement. The recipient list travels as one JSON parameter and is expanded by PostgreSQL.
 */
export async function addRecipients(siteId: number, messageId: number, channel: Channel, recipients: Recipient[], tx: Pick<typeof db, "execute"> = db) {
  let queued = 0;
  for (let i = 0; i < recipients.length; i += ENQUEUE_CHUNK) {
    const chunk = recipients.slice(i, i + ENQUEUE_CHUNK).map((r) => ({
      a: normalizeAddress(r.address, channel),
      n: r.name ?? "",
      l: r.locale ?? null,
      v: r.variables ?? {},
    }));
    const result = await tx.execute(sql`
      insert into queue (site_id, message_id, channel, recipient, recipient_name, locale, variables, bulk)
      select ${siteId}, ${messageId}, ${channel}, r.a, r.n, r.l, r.v, ${bulkMessage(messageId)}
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(a text, n text, l text, v jsonb)
      on conflict (message_id, recipient, channel) do nothing
      returning 1 as one`);
    queued += rows(result).length;
  }
  return queued;
}

export function normalizeAddress(address: string, channel: Channel) {
  const a = address.trim();
  return channel === "email" ? a.toLowerCase() : a.replace(/[^\d+]/g, "");
}

/** Refused at enqueue: phone numbers that are not valid (the addresses as given). */
export class InvalidRecipientsError extends Error {
  /** `country`: the one national numbers were read in (the site's), for the message that refuses them. */
  constructor(
    readonly invalid: string[],
    readonly country: string,
  ) {
    super(`invalid phone number${invalid.length > 1 ? "s" : ""}: ${invalid.slice(0, 5).join(", ")}${invalid.length > 5 ? "…" : ""}`);
    this.name = "InvalidRecipientsError";
  }
}

/**
 * SMS recipients in E.164, national formats read in the site's country (`06 12 34 56 78` in
 * France). One invalid number refuses the whole enqueue, before anything is stored: the caller
 * shows which ones (translated: errors.invalidPhone) and the person fixes the list.
 */
async function phoneRecipients(tx: Pick<typeof db, "select">, siteId: number, recipients: Recipient[]): Promise<Recipient[]> {
  // Loaded on the first SMS: the phone metadata is large and most enqueues are emails.
  const { DEFAULT_COUNTRY, normalizePhone } = await import("@/lib/sms/phone");
  const [site] = await tx.select({ country: sites.defaultCountry }).from(sites).where(eq(sites.id, siteId));
  const invalid: string[] = [];
  const valid = recipients.flatMap((r) => {
    const phone = normalizePhone(r.address, site?.country ?? DEFAULT_COUNTRY);
    if (phone.ok) return [{ ...r, address: phone.e164 }];
    invalid.push(r.address);
    return [];
  });
  if (invalid.length) throw new InvalidRecipientsError(invalid, site?.country ?? DEFAULT_COUNTRY);
  return valid;
}

/**
 * Bulk form for recipients that already live in the database (newsletters): `recipients` is a
 * SELECT of (recipient, recipient_name, locale, variables) and PostgreSQL inserts the rows
 * itself, so 100,000 recipients never pass through this process. Pass `tx` to make it part of
 * the caller's transaction; the caller then notifies (notifyEnqueued) after committing.
 */
export async function addRecipientsSelect(input: {
  siteId: number;
  messageId: number;
  channel?: Channel;
  recipients: SQL;
  /** Not sent before (the message's sending hours open); default now. */
  notBefore?: Date | null;
  tx?: Pick<typeof db, "execute">;
}): Promise<number> {
  const result = await (input.tx ?? db).execute(sql`
    with inserted as (
      insert into queue (site_id, message_id, channel, recipient, recipient_name, locale, variables, next_attempt_at, bulk)
      select ${input.siteId}, ${input.messageId}, ${input.channel ?? "email"}, r.recipient, r.recipient_name, r.locale, r.variables,
             ${input.notBefore ? sql`${input.notBefore.toISOString()}::timestamptz` : sql`now()`}, ${bulkMessage(input.messageId)}
      from (${input.recipients}) as r
      on conflict (message_id, recipient, channel) do nothing
      returning 1
    )
    select count(*)::int as n from inserted`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

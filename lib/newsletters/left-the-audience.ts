import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { SmsOptOutSource } from "@/db/schema";
import { confirmedIn, erased, givesNumber, leftAGroup, numberLeft, optOutOf, suppressed } from "./audience-conditions";
import { erasedHash, erasedPhoneHash } from "./erase";

// Rows already queued whose recipient is no longer in the audience of their send, as the send
// would now decide (the same conditions: audience-conditions.ts). The queue stops them at claim time.

/** A newsletter email already queued: its row, message and address. */
export type QueuedLetter = { id: number; siteId: number; messageId: number; email: string };

/** A group SMS already queued: its row, message and number. */
export type QueuedText = { id: number; siteId: number; messageId: number; phone: string };

/**
 * `select … from` queued rows `r` (id, site_id, message_id, and the recipient as `column`),
 * each with the groups of its send (`sends.group_ids`), `where` a condition holds. The send
 * keeps no copy of its groups: they are its template's as they are now, and a deleted
 * template's send (or a message that is no send) has none, so for someone who left a group a
 * doubt stops the row rather than sends it.
 */
function queuedRows(given: unknown[], columns: "email text, email_hash text" | "phone text, phone_hash text", select: SQL, where: SQL): SQL {
  return sql`
    with r as (select * from jsonb_to_recordset(${JSON.stringify(given)}::jsonb) as r(id bigint, site_id int, message_id bigint, ${sql.raw(columns)})),
    sends as (
      select distinct on (n.message_id) n.message_id, coalesce(t.group_ids, '[]'::jsonb) as group_ids
        from newsletter_sends n left join message_templates t on t.id = n.template_id
       where n.message_id in (select message_id from r)
       order by n.message_id, n.id)
    ${select} from r left join sends on sends.message_id = r.message_id
     where ${where}`;
}

/** `s` is a subscription in one of the groups of the row's send (queuedRows). */
const inSendGroups = sql`s.group_id in (select value::int from jsonb_array_elements_text(coalesce(sends.group_ids, '[]'::jsonb)))`;

/**
 * The queued newsletter emails whose address is no longer in the audience of their send: it is
 * suppressed or erased now, or it left a group and is no longer a confirmed member of any group
 * the send is for (a pasted address that left any group stays out, as the send's `allowed`
 * says). One statement for all the rows.
 */
export async function leftTheAudience(letters: QueuedLetter[]): Promise<number[]> {
  if (letters.length === 0) return [];
  const given = letters.map((l) => ({ id: l.id, site_id: l.siteId, message_id: l.messageId, email: l.email, email_hash: erasedHash(l.email) }));
  const site = sql`r.site_id`;
  const found = await db.execute(
    queuedRows(
      given,
      "email text, email_hash text",
      sql`select r.id`,
      sql`${suppressed(site, sql`r.email`)}
        or ${erased(site, sql`r.email_hash`)}
        or (${leftAGroup(site, sql`r.email`)} and not exists (
              select 1 from subscriptions s where ${confirmedIn(site, inSendGroups)} and s.email = r.email))`,
    ),
  );
  return rows<{ id: string | number }>(found).map((r) => Number(r.id));
}

/**
 * The queued group SMS whose number is no longer in the audience of their send, as the send
 * would now decide: it is on the opt-out list (`optedOut`: how it got there, a STOP reply, the
 * provider or an admin), or someone whose subscription gave it left (numberLeft: by
 * "unsubscribe from everything", their address suppressed, its numbers too, or by leaving a
 * group), and no subscription still gives it in a group the send is for (givesNumber: a number
 * two people share still goes to the one who stays). The number of someone erased from the
 * site (erasedPhoneHash) is out the same way: their subscriptions are gone, so nothing else says
 * it left, and a row sent before the erasure keeps the number (a delivery record) that a retry
 * or a resend by hand would text again. One statement for all the rows.
 */
export async function numbersLeftTheAudience(texts: QueuedText[]): Promise<{ id: number; optedOut: SmsOptOutSource | null }[]> {
  if (texts.length === 0) return [];
  const given = texts.map((t) => ({ id: t.id, site_id: t.siteId, message_id: t.messageId, phone: t.phone, phone_hash: erasedPhoneHash(t.phone) }));
  const site = sql`r.site_id`;
  const optedOutBy = sql`(${optOutOf(site, sql`r.phone`)})`;
  const found = await db.execute(
    queuedRows(
      given,
      "phone text, phone_hash text",
      sql`select r.id, ${optedOutBy} as opted_out`,
      sql`${optedOutBy} is not null
        or ((${numberLeft(site, sql`r.phone`)} or ${erased(site, sql`r.phone_hash`)})
            and not exists (select 1 from subscriptions s where ${givesNumber(site, inSendGroups)} and s.phone = r.phone))`,
    ),
  );
  return rows<{ id: string | number; opted_out: SmsOptOutSource | null }>(found).map((r) => ({ id: Number(r.id), optedOut: r.opted_out ?? null }));
}

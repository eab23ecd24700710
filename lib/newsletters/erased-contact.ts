import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { erasedHash, erasedPhoneHash } from "./erase";

/** A queued row to someone the site may have erased: an address (email) or a number (sms). */
export type QueuedContact = { id: number; siteId: number; channel: string; recipient: string };

/**
 * Of these rows, those whose address or number the site erased (erased_subscribers), and with
 * `queuedBefore`, only those queued before that erasure. One statement for all rows.
 */
async function erasedContacts(contacts: QueuedContact[], queuedBefore: boolean): Promise<number[]> {
  if (contacts.length === 0) return [];
  const given = contacts.map((c) => ({ id: c.id, site_id: c.siteId, hash: c.channel === "sms" ? erasedPhoneHash(c.recipient) : erasedHash(c.recipient) }));
  const found = await db.execute(sql`
    select r.id from jsonb_to_recordset(${JSON.stringify(given)}::jsonb) as r(id bigint, site_id int, hash text)
      join erased_subscribers e on e.site_id = r.site_id and e.email_hash = r.hash
     ${queuedBefore ? sql`join queue q on q.id = r.id where e.erased_at > q.queued_at` : sql``}`);
  return rows<{ id: string | number }>(found).map((r) => Number(r.id));
}

/**
 * Of these rows, those queued before their address or number was erased from the site. A sent
 * row keeps its recipient as the delivery record (lib/newsletters/erase.ts); set back to pending
 * by hand, or retried after a bounce, it must not reach the person again. Only rows queued
 * before the erasure: a confirmation mail for a signup the person makes afterwards, or an answer
 * to an SMS they send afterwards, is their own new contact and goes.
 */
export const queuedBeforeErasure = (contacts: QueuedContact[]) => erasedContacts(contacts, true);

/**
 * Of these rows, those whose address or number is an erased person's now. For rows the audience
 * checks already stop (leftTheAudience, numbersLeftTheAudience, which read the same hashes among
 * other reasons), to say why: the person was erased on request, not unsubscribed.
 */
export const erasedNow = (contacts: QueuedContact[]) => erasedContacts(contacts, false);

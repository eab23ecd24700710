import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { erasedHash, erasedPhoneHash } from "./erase";

/** A queued row to someone the site may have erased: an address (email) or a number (sms). */
export type QueuedContact = { id: number; siteId: number; channel: string; recipient: string };

/**
 * Of these rows, those queued before their address or number was erased from the site. A sent
 * row keeps its recipient as the delivery record (lib/newsletters/erase.ts); set back to pending
 * by hand, or retried after a bounce, it must not reach the person again. Only rows queued
 * before the erasure: a confirmation mail for a signup the person makes afterwards, or an answer
 * to an SMS they send afterwards, is their own new contact and goes. One statement for all rows.
 */
export async function queuedBeforeErasure(contacts: QueuedContact[]): Promise<number[]> {
  if (contacts.length === 0) return [];
  const given = contacts.map((c) => ({ id: c.id, site_id: c.siteId, hash: c.channel === "sms" ? erasedPhoneHash(c.recipient) : erasedHash(c.recipient) }));
  const found = await db.execute(sql`
    select r.id from jsonb_to_recordset(${JSON.stringify(given)}::jsonb) as r(id bigint, site_id int, hash text)
      join queue q on q.id = r.id
      join erased_subscribers e on e.site_id = r.site_id and e.email_hash = r.hash
     where e.erased_at > q.queued_at`);
  return rows<{ id: string | number }>(found).map((r) => Number(r.id));
}

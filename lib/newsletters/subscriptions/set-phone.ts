import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { erasedPhonesAmong } from "../erase";

/**
 * Sets (E.164) or removes (null) the phone of the person one subscription of a group names (in
 * all their groups of the site), whatever its status:
 * a number never subscribes anyone. Null when the site has no such subscription in that group.
 * The number of someone erased from the site is refused (errors.erasedPhone), unless it is
 * already this person's.
 */
export async function setSubscriptionPhone(siteId: number, groupId: number, id: number, phone: string | null): Promise<{ email: string } | null> {
  const [row] = await db
    .select({ email: subscriptions.email, phone: subscriptions.phone })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId), eq(subscriptions.id, id)));
  if (!row) return null;
  if (phone && phone !== row.phone && (await erasedPhonesAmong(siteId, [phone])).has(phone)) throw new ActionError({ key: "errors.erasedPhone" }, "phone");
  await syncPhones(db, siteId, [{ email: row.email, phone }]);
  return { email: row.email };
}

/** Sets each address's number on every subscription of the site (all its groups). */
export async function syncPhones(tx: Pick<typeof db, "execute">, siteId: number, numbers: { email: string; phone: string | null | undefined }[]) {
  await tx.execute(sql`
    update subscriptions s set phone = v.phone, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(numbers.map((n) => ({ email: n.email, phone: n.phone ?? null })))}::jsonb) as v(email text, phone text)
    where s.site_id = ${siteId} and s.email = v.email and s.phone is distinct from v.phone`);
}

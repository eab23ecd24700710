import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { requireHeldGroup } from "../group-numbers";
import { idList, unsubscribed } from "./selection";

/**
 * Moves selected subscriptions to another group of the same site. An address already in the
 * target is merged into it instead (one subscription per site, group and address): the target
 * keeps its status unless it was only unconfirmed, in which case the moved one's confirmation
 * (or unsubscription, never lost) and consent record win; an empty name is filled in. An
 * unsubscribed one is copied and stays in its group too (counted in `kept`, not `moved`).
 * The target is held as addSubscribers holds its group: one deleted meanwhile refuses, on the
 * form's "to" field.
 */
export async function moveSubscriptions(siteId: number, fromGroup: number, toGroup: number, ids: number[]): Promise<{ moved: number; merged: number; kept: number }> {
  if (ids.length === 0 || fromGroup === toGroup) return { moved: 0, merged: 0, kept: 0 };
  const source = sql`s.site_id = ${siteId} and s.group_id = ${fromGroup} and s.id in ${idList(ids)}`;
  const leaving = sql`${source} and not ${unsubscribed}`;
  const takeSource = sql`t.status = 'unconfirmed' and s.status <> 'unconfirmed'`;
  return db.transaction(async (tx) => {
    await requireHeldGroup(tx, siteId, toGroup, "to");
    // The links that may follow the move are locked before the subscriptions, in the order
    // confirmSubscription locks them (no deadlock with a confirmation at the same moment).
    await tx.execute(sql`select 1 from signup_confirmations where site_id = ${siteId} and ${fromGroup}::int = any(group_ids) for update`);
    const merged = rows(
      await tx.execute(sql`
      update subscriptions t set
        status = case when ${takeSource} then s.status else t.status end,
        confirmed_at = case when ${takeSource} then s.confirmed_at else t.confirmed_at end,
        unsubscribed_at = case when ${takeSource} then s.unsubscribed_at else t.unsubscribed_at end,
        consent_at = case when ${takeSource} then s.consent_at else t.consent_at end,
        consent_ip = case when ${takeSource} then s.consent_ip else t.consent_ip end,
        consent_user_agent = case when ${takeSource} then s.consent_user_agent else t.consent_user_agent end,
        consent_text = case when ${takeSource} then s.consent_text else t.consent_text end,
        name = case when t.name = '' then s.name else t.name end,
        updated_at = now()
      from subscriptions s
      where ${source} and t.site_id = ${siteId} and t.group_id = ${toGroup} and t.email = s.email
      returning t.id`),
    ).length;
    await tx.execute(sql`
      delete from subscriptions s where ${leaving}
      and exists (select 1 from subscriptions t where t.site_id = ${siteId} and t.group_id = ${toGroup} and t.email = s.email)`);
    // The copy carries no confirmation link: one mailed for this group must not confirm the target.
    await tx.execute(sql`
        insert into subscriptions (site_id, group_id, email, phone, name, locale, locale_set_at, status, source, consent_at, consent_ip, consent_user_agent, consent_text, confirmed_at, unsubscribed_at)
        select s.site_id, ${toGroup}, s.email, s.phone, s.name, s.locale, s.locale_set_at, s.status, s.source, s.consent_at, s.consent_ip, s.consent_user_agent, s.consent_text, s.confirmed_at, s.unsubscribed_at
        from subscriptions s where ${source} and ${unsubscribed}
        on conflict (site_id, group_id, email) do nothing`);
    const kept = rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from subscriptions s where ${source} and ${unsubscribed}`));
    const movedRows = rows<{ email: string }>(await tx.execute(sql`update subscriptions s set group_id = ${toGroup}, updated_at = now() where ${leaving} returning s.email`));
    // A confirmation link mailed for the old group confirms the subscription where it is now.
    if (movedRows.length) {
      await tx.execute(sql`
        update signup_confirmations c
           set group_ids = (select array_agg(distinct g order by g) from unnest(array_append(array_remove(c.group_ids, ${fromGroup}::int), ${toGroup}::int)) g)
         where c.site_id = ${siteId} and ${fromGroup}::int = any(c.group_ids)
           and c.email in (select value from jsonb_array_elements_text(${JSON.stringify(movedRows.map((m) => m.email))}::jsonb))`);
    }
    const moved = movedRows.length;
    // `kept`: the unsubscribed ones of the selection, which stay here (copied there, or merged).
    return { moved, merged, kept: Number(kept[0]?.n ?? 0) };
  });
}

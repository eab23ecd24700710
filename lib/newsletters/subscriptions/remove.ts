import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { idList, unsubscribed } from "./selection";

/**
 * Deletes selected subscriptions of a group (ids of another site or group are ignored), except
 * unsubscribed ones, which are kept (counted in `kept`).
 */
export async function removeSubscriptions(siteId: number, groupId: number, ids: number[]): Promise<{ removed: number; kept: number }> {
  if (ids.length === 0) return { removed: 0, kept: 0 };
  const selection = sql`s.site_id = ${siteId} and s.group_id = ${groupId} and s.id in ${idList(ids)}`;
  // One statement: both counts read the same snapshot, whatever changes the rows meanwhile.
  const [counts] = rows<{ removed: number; kept: number }>(
    await db.execute(sql`
      with gone as (delete from subscriptions s where ${selection} and not ${unsubscribed} returning s.id)
      select (select count(*) from gone)::int as removed, (select count(*) from subscriptions s where ${selection} and ${unsubscribed})::int as kept`),
  );
  return { removed: Number(counts?.removed ?? 0), kept: Number(counts?.kept ?? 0) };
}

import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Locale } from "@/lib/i18n/config";
import { idList } from "./selection";

/**
 * "Set language": the selected subscriptions of a group (ids of another site or group are
 * ignored) read `locale` from now on, whatever their status (an unsubscribed one coming back
 * through the signup gets the signup's language anyway). Stated now (`locale_set_at`), it becomes
 * the person's language for one-language sends over their other groups' older ones
 * (newestLanguage in audience-language.ts). Returns how many were in the selection.
 */
export async function setSubscriptionsLocale(siteId: number, groupId: number, ids: number[], locale: Locale): Promise<number> {
  if (ids.length === 0) return 0;
  const updated = rows(
    await db.execute(sql`
      update subscriptions s set locale = ${locale}, locale_set_at = now(), updated_at = now()
      where s.site_id = ${siteId} and s.group_id = ${groupId} and s.id in ${idList(ids)}
      returning s.id`),
  );
  return updated.length;
}

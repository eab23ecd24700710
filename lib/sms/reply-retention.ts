import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { env } from "@/lib/env";

/**
 * Deletes replies older than SMS_REPLY_RETENTION_DAYS (0: never), oldest first and at most
 * `limit` per call: the retry pass calls it every few minutes, so a backlog drains in steps.
 */
export async function purgeOldReplies(limit = 5_000): Promise<number> {
  if (env.SMS_REPLY_RETENTION_DAYS === 0) return 0;
  const result = await db.execute(sql`
    with old as (
      delete from sms_replies where id in (
        select id from sms_replies where received_at < now() - make_interval(days => ${env.SMS_REPLY_RETENTION_DAYS})
         order by received_at limit ${limit})
      returning 1
    )
    select count(*)::int as n from old`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

import { sql } from "drizzle-orm";

/* A screen's selection of a group's subscriptions (`s`), as remove, move and set-language read it. */

export const idList = (ids: number[]) => sql`(select value::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/*
 * An unsubscribed row never leaves its group: for someone who left one group (not the whole
 * site, which subscriber_keys.suppressed_at records), it is the only record that they did, and
 * without it an administrator's next add, paste or import of an old list would confirm them
 * again (plannedOutcome). Removing skips it; moving copies it to the target and keeps it here.
 */
export const unsubscribed = sql`s.status = 'unsubscribed'`;

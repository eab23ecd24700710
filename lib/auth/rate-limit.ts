import { and, eq, gt, sql } from "drizzle-orm";
import { db, preparedStatement } from "@/db/client";
import { rateLimits } from "@/db/schema";

/**
 * Fixed-window counters kept in the database, so every server process and the sign-in
 * route share them. `take` and `hit` increment atomically and return the count in the current
 * window; checking a limit is comparing that count, so the check and the count are one statement.
 */

/**
 * Names a window exactly: the start's epoch with its microseconds, as text (a JS Date would
 * drop them, and the column would no longer compare equal).
 */
const windowId = sql<string>`extract(epoch from ${rateLimits.windowStart})::text`;

const hitStatement = preparedStatement((db) => {
  const expired = sql`${rateLimits.windowStart} < now() - make_interval(secs => ${sql.placeholder("windowSeconds")}::int)`;
  return db
    .insert(rateLimits)
    .values({ key: sql.placeholder("key"), count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${expired} then now() else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count, window: windowId })
    .prepare("rate_limit_hit");
});

/** One counted attempt: its key, the count it brought the window to, and which window that was. */
export type Slot = { key: string; count: number; window: string };

/** Counts one attempt (atomically, so parallel attempts each see a different count). */
export async function take(key: string, windowSeconds: number): Promise<Slot> {
  const [row] = await hitStatement().execute({ key, windowSeconds });
  return { key, ...row };
}

export async function hit(key: string, windowSeconds: number): Promise<number> {
  return (await take(key, windowSeconds)).count;
}

/**
 * Uncounts an attempt that turned out not to be one the limit is about. Only in the window it
 * was counted in: once a new window has started, its count is made of other attempts only,
 * and giving back there would erase one of them.
 */
export async function giveBack(slot: Slot): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`${rateLimits.count} - 1` })
    .where(and(eq(rateLimits.key, slot.key), sql`${windowId} = ${slot.window}`, gt(rateLimits.count, 0)));
}

export async function reset(key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

import { eq, sql } from "drizzle-orm";
import { db, preparedStatement } from "@/db/client";
import { rateLimits } from "@/db/schema";

/**
 * Fixed-window counters kept in the database, so every server process and the sign-in
 * route share them. `hit` increments atomically and returns the count in the current window.
 */
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
    .returning({ count: rateLimits.count })
    .prepare("rate_limit_hit");
});

export async function hit(key: string, windowSeconds: number): Promise<number> {
  const [row] = await hitStatement().execute({ key, windowSeconds });
  return row.count;
}

/** Count in the current window without incrementing. */
export async function peek(key: string, windowSeconds: number): Promise<number> {
  const [row] = await db
    .select({
      count: sql<number>`case when ${rateLimits.windowStart} < now() - make_interval(secs => ${windowSeconds}) then 0 else ${rateLimits.count} end`,
    })
    .from(rateLimits)
    .where(eq(rateLimits.key, key));
  return Number(row?.count ?? 0);
}

export async function reset(key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

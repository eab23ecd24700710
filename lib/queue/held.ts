import { sql } from "drizzle-orm";
import { queue } from "@/db/schema";

/**
 * A row's hold: pending but due later, waiting for its site's SMS sending hours (the only reason a
 * pending row is due in the future), until `next_attempt_at`; null otherwise. For list and detail selects.
 */
export const heldUntil = sql<Date | null>`case when ${queue.status} = 'pending' and ${queue.nextAttemptAt} > now() then ${queue.nextAttemptAt} end`.mapWith(queue.nextAttemptAt);

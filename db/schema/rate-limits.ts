import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Fixed-window counters (failed sign-ins per account and per IP, later signups per IP). */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  count: integer("count").notNull().default(0),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull().defaultNow(),
});

import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Sessions signed out of, by the id their cookie carries (lib/auth/ended-sessions.ts). The
 * cookie is a signed JWT that stays valid until it expires: signing out only asks the browser to
 * drop it, so a copy taken before (a shared computer, a stolen cookie) would still open the
 * account. Kept until the cookie would have expired anyway, then purged.
 */
export const endedSessions = pgTable(
  "ended_sessions",
  {
    sid: text("sid").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("ended_sessions_expires_at_idx").on(t.expiresAt)],
);

import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { sites } from "./sites";

/**
 * Self-registrations waiting for the emailed link. The account is created only when the link
 * comes back, so nobody can register an address they cannot read. Only a SHA-256 of the
 * token and the scrypt hash of the password are kept. Several rows may name one address
 * (several attempts, several sites): the first link used creates the account.
 */
export const pendingRegistrations = pgTable(
  "pending_registrations",
  {
    tokenHash: text("token_hash").primaryKey(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** Stored lower-cased, like users.email. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    locale: text("locale").notNull(),
    passwordHash: text("password_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Expired rows are purged by housekeeping.
  (t) => [index("pending_registrations_expires_idx").on(t.expiresAt)],
);

export type PendingRegistration = typeof pendingRegistrations.$inferSelect;

import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { sites } from "./sites";

export const roles = ["member", "admin", "superuser"] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "restrict" }),
    /** Stored lower-cased; unique across the installation so sign-in is unambiguous. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: roles }).notNull().default("member"),
    locale: text("locale").notNull().default("fr"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /**
     * Sessions opened before this no longer open the account (lib/auth/session-account.ts): set
     * when the account is disabled, so that enabling it again (it may have been taken over)
     * brings none of them back.
     */
    sessionsEndedAt: timestamp("sessions_ended_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    // Keyset pagination per site, newest first.
    index("users_site_id_idx").on(t.siteId, t.id),
    // Prefix search on name (email prefix search uses users_email_key with text_pattern_ops below).
    index("users_email_prefix_idx").on(sql`${t.email} text_pattern_ops`),
    index("users_name_prefix_idx").on(sql`lower(${t.name}) text_pattern_ops`),
    // The role filter (a few administrators among many members), per site and across sites.
    index("users_site_role_id_idx").on(t.siteId, t.role, t.id),
    index("users_role_id_idx").on(t.role, t.id),
    // The "disabled" filter: few rows, kept in their own small indexes.
    index("users_site_disabled_id_idx").on(t.siteId, t.id).where(sql`${t.disabledAt} is not null`),
    index("users_disabled_id_idx").on(t.id).where(sql`${t.disabledAt} is not null`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

import { sql } from "drizzle-orm";
import { boolean, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const sites = pgTable(
  "sites",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** Host name without port, lower case (e.g. `news.example.org`). */
    domain: text("domain").notNull(),
    name: text("name").notNull(),
    defaultLocale: text("default_locale").notNull().default("fr"),
    senderName: text("sender_name").notNull().default(""),
    senderEmail: text("sender_email").notNull().default(""),
    /** Whether visitors may create their own member account. */
    registrationOpen: boolean("registration_open").notNull().default(false),
    /** Serves unknown hosts; at most one site has it (partial unique index). */
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sites_domain_key").on(t.domain),
    uniqueIndex("sites_single_default").on(t.isDefault).where(sql`${t.isDefault}`),
  ],
);

export type Site = typeof sites.$inferSelect;
export type NewSite = typeof sites.$inferInsert;

import { sql } from "drizzle-orm";
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * When a site's group SMS may go out, if `on`: between `from` and `to` (local "HH:MM", `from` <
 * `to`) on the ISO weekdays in `days` (1 = Monday … 7 = Sunday), and, with `skipHolidays`, not
 * on the public holidays of the site's country (lib/sms/sending-hours.ts). Kept when turned off,
 * so turning them on again finds them as they were.
 */
export type SmsHours = { on: boolean; from: string; to: string; days: number[]; skipHolidays: boolean };

/** The hours in force, read in the site's time zone and country. */
export type SendWindow = Omit<SmsHours, "on"> & { timeZone: string; country: string };

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
    /** ISO 3166-1 alpha-2 country whose national format phone numbers are read in (`06…` → +33 6…). */
    defaultCountry: text("default_country").notNull().default("FR"),
    /** This site's SMS transport (see SMS_URL in .env.example); null: the installation's SMS_URL. */
    smsUrl: text("sms_url"),
    /** SMS source address: an E.164 number or an alphanumeric sender of at most 11 characters. */
    smsSender: text("sms_sender").notNull().default(""),
    /** IANA time zone the site's clock times are read in (its SMS sending hours). */
    timeZone: text("time_zone").notNull().default("Europe/Paris"),
    /** When its group SMS may go out (lib/sms/sending-hours.ts); null or off: at any time. */
    smsHours: jsonb("sms_hours").$type<SmsHours>(),
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

import { integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { sites } from "./sites";

/**
 * Per-site values that win over messages/*.json. A key absent from the files is a key added
 * from the internationalisation screen (subscriber groups are created this way: `signup_opt<N>`).
 */
export const translationOverrides = pgTable(
  "translation_overrides",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    locale: text("locale").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("translation_overrides_site_locale_key").on(t.siteId, t.locale, t.key)],
);

export type TranslationOverride = typeof translationOverrides.$inferSelect;

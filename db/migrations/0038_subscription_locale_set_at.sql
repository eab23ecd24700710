ALTER TABLE "subscriptions" ADD COLUMN "locale_set_at" timestamp with time zone;--> statement-breakpoint
-- Keeps the language each person reads today: until now the most recently updated subscription decided it.
UPDATE "subscriptions" SET "locale_set_at" = "updated_at" WHERE "locale" IS NOT NULL;

CREATE TABLE "signup_confirmations" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"site_id" integer NOT NULL,
	"email" text NOT NULL,
	"group_ids" integer[] NOT NULL,
	"locale" text NOT NULL,
	"consent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consent_ip" text,
	"consent_user_agent" text,
	"consent_text" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "subscriptions_confirm_token_idx";--> statement-breakpoint
ALTER TABLE "signup_confirmations" ADD CONSTRAINT "signup_confirmations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signup_confirmations_site_email_idx" ON "signup_confirmations" USING btree ("site_id","email");--> statement-breakpoint
CREATE INDEX "signup_confirmations_sent_at_idx" ON "signup_confirmations" USING btree ("sent_at");--> statement-breakpoint
-- The links already mailed keep working: each becomes a ticket for the groups that carry it.
INSERT INTO "signup_confirmations" ("token_hash", "site_id", "email", "group_ids", "locale", "consent_at", "consent_ip", "consent_user_agent", "consent_text", "sent_at")
SELECT "confirm_token_hash", "site_id", "email", array_agg("group_id" ORDER BY "group_id"), coalesce(max("locale"), 'fr'),
       coalesce(max("consent_at"), max("confirm_sent_at")), max("consent_ip"), max("consent_user_agent"), max("consent_text"), max("confirm_sent_at")
  FROM "subscriptions"
 WHERE "confirm_token_hash" IS NOT NULL AND "confirm_sent_at" IS NOT NULL AND "status" <> 'confirmed'
 GROUP BY "confirm_token_hash", "site_id", "email"
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "subscriptions" DROP COLUMN "confirm_token_hash";--> statement-breakpoint
ALTER TABLE "subscriptions" DROP COLUMN "confirm_sent_at";
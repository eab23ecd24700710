-- Links mailed before this migration are tied to their account's own site (a superuser's link
-- asked on another site will then need asking again: links last an hour).
ALTER TABLE "password_resets" ADD COLUMN "site_id" integer;--> statement-breakpoint
UPDATE "password_resets" pr SET "site_id" = u."site_id" FROM "users" u WHERE u."id" = pr."user_id";--> statement-breakpoint
ALTER TABLE "password_resets" ALTER COLUMN "site_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;

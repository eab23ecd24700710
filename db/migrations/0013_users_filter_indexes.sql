CREATE INDEX "users_site_role_id_idx" ON "users" USING btree ("site_id","role","id");--> statement-breakpoint
CREATE INDEX "users_role_id_idx" ON "users" USING btree ("role","id");--> statement-breakpoint
CREATE INDEX "users_site_disabled_id_idx" ON "users" USING btree ("site_id","id") WHERE "users"."disabled_at" is not null;--> statement-breakpoint
CREATE INDEX "users_disabled_id_idx" ON "users" USING btree ("id") WHERE "users"."disabled_at" is not null;
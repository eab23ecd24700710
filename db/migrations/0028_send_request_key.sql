ALTER TABLE "newsletter_sends" ADD COLUMN "request_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_sends_request_key" ON "newsletter_sends" USING btree ("site_id","request_key");
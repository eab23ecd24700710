DROP INDEX "queue_receipts_key";--> statement-breakpoint
ALTER TABLE "queue" ADD COLUMN "provider_account" text;--> statement-breakpoint
ALTER TABLE "queue_receipts" ADD COLUMN "provider_account" text;--> statement-breakpoint
CREATE UNIQUE INDEX "queue_receipts_key" ON "queue_receipts" USING btree ("channel","provider_message_id",coalesce("site_id", 0),coalesce("provider_account", ''),"delivered");
DROP INDEX "queue_receipts_key";--> statement-breakpoint
CREATE UNIQUE INDEX "queue_receipts_key" ON "queue_receipts" USING btree ("channel","provider_message_id",coalesce("site_id", 0),"delivered");
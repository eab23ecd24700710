DROP INDEX "queue_recipient_prefix_idx";--> statement-breakpoint
DROP INDEX "queue_site_queued_at_idx";--> statement-breakpoint
CREATE INDEX "queue_site_recipient_idx" ON "queue" USING btree ("site_id","recipient" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "queue_site_queued_at_id_idx" ON "queue" USING btree ("site_id","queued_at","id");
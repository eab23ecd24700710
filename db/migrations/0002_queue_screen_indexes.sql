CREATE INDEX "queue_site_queued_at_idx" ON "queue" USING btree ("site_id","queued_at");--> statement-breakpoint
CREATE INDEX "queue_message_id_idx" ON "queue" USING btree ("message_id","id");
DROP INDEX "queue_pending_idx";--> statement-breakpoint
DROP INDEX "queue_retry_idx";--> statement-breakpoint
ALTER TABLE "queue" ADD COLUMN "bulk" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Newsletters' rows still to go become bulk, so what one person waits for overtakes them at once.
-- Only those the claimers can still take: rows already sent, delivered or final stay as they are.
UPDATE "queue" q SET "bulk" = true FROM "outbound_messages" m
 WHERE m."id" = q."message_id" AND m."kind" = 'newsletter' AND q."status" IN ('pending', 'sending', 'error');--> statement-breakpoint
CREATE INDEX "queue_pending_idx" ON "queue" USING btree ("bulk","next_attempt_at","id") WHERE "queue"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "queue_retry_idx" ON "queue" USING btree ("bulk","next_attempt_at","id") WHERE "queue"."status" = 'error' and "queue"."retryable";
ALTER TABLE "sites" ADD COLUMN "time_zone" text DEFAULT 'Europe/Paris' NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "sms_hours" jsonb;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD COLUMN "keeps_sms_hours" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "queue_runs" ADD COLUMN "deferred" integer DEFAULT 0 NOT NULL;
CREATE TABLE "queue_receipts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "queue_receipts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel" text NOT NULL,
	"provider_message_id" text NOT NULL,
	"delivered" boolean NOT NULL,
	"reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "default_country" text DEFAULT 'FR' NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "sms_url" text;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "sms_sender" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "queue_receipts_key" ON "queue_receipts" USING btree ("channel","provider_message_id","delivered");--> statement-breakpoint
CREATE INDEX "queue_receipts_unapplied_idx" ON "queue_receipts" USING btree ("channel","provider_message_id") WHERE "queue_receipts"."applied_at" is null;
CREATE TABLE "sms_inbound_parts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sms_inbound_parts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account" text NOT NULL,
	"sender" text NOT NULL,
	"recipient" text NOT NULL,
	"ref" integer NOT NULL,
	"total" integer NOT NULL,
	"seq" integer NOT NULL,
	"utf16" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"joined_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sms_inbound_parts_key" ON "sms_inbound_parts" USING btree ("account","sender","recipient","ref","total","seq");--> statement-breakpoint
CREATE INDEX "sms_inbound_parts_received_idx" ON "sms_inbound_parts" USING btree ("received_at");
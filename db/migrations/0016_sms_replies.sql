CREATE TABLE "sms_replies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sms_replies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"phone" text NOT NULL,
	"text" text NOT NULL,
	"action" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sms_replies" ADD CONSTRAINT "sms_replies_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_replies_site_id_idx" ON "sms_replies" USING btree ("site_id","id");--> statement-breakpoint
CREATE INDEX "sms_replies_site_phone_idx" ON "sms_replies" USING btree ("site_id","phone","id");
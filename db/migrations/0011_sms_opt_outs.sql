CREATE TABLE "sms_opt_outs" (
	"site_id" integer NOT NULL,
	"phone" text NOT NULL,
	"keyword" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_opt_outs_site_id_phone_pk" PRIMARY KEY("site_id","phone")
);
--> statement-breakpoint
ALTER TABLE "sms_opt_outs" ADD CONSTRAINT "sms_opt_outs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;
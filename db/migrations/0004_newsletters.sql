CREATE TABLE "message_templates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "message_templates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"name" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"html" text DEFAULT '' NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"text_edited" boolean DEFAULT false NOT NULL,
	"from_name" text DEFAULT '' NOT NULL,
	"from_address" text DEFAULT '' NOT NULL,
	"reply_to" text,
	"group_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pasted_recipients" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "newsletter_sends" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "newsletter_sends_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"template_id" integer,
	"message_id" bigint,
	"status" text NOT NULL,
	"subject" text NOT NULL,
	"scheduled_at" timestamp with time zone,
	"queued_at" timestamp with time zone,
	"recipient_count" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriber_keys" (
	"site_id" integer NOT NULL,
	"email" text NOT NULL,
	"token" text NOT NULL,
	"suppressed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"name" text DEFAULT '' NOT NULL,
	"locale" text,
	"status" text DEFAULT 'unconfirmed' NOT NULL,
	"source" text NOT NULL,
	"consent_at" timestamp with time zone,
	"consent_ip" text,
	"consent_user_agent" text,
	"consent_text" text,
	"confirm_token_hash" text,
	"confirm_sent_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_template_id_message_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."message_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_message_id_outbound_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."outbound_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber_keys" ADD CONSTRAINT "subscriber_keys_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_templates_site_idx" ON "message_templates" USING btree ("site_id","id");--> statement-breakpoint
CREATE INDEX "newsletter_sends_site_idx" ON "newsletter_sends" USING btree ("site_id","id");--> statement-breakpoint
CREATE INDEX "newsletter_sends_due_idx" ON "newsletter_sends" USING btree ("scheduled_at") WHERE "newsletter_sends"."status" = 'scheduled';--> statement-breakpoint
CREATE UNIQUE INDEX "subscriber_keys_site_email_key" ON "subscriber_keys" USING btree ("site_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriber_keys_token_key" ON "subscriber_keys" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_site_group_email_key" ON "subscriptions" USING btree ("site_id","group_id","email");--> statement-breakpoint
CREATE INDEX "subscriptions_group_status_idx" ON "subscriptions" USING btree ("site_id","group_id","status","id");--> statement-breakpoint
CREATE INDEX "subscriptions_site_email_idx" ON "subscriptions" USING btree ("site_id","email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "subscriptions_confirm_token_idx" ON "subscriptions" USING btree ("confirm_token_hash") WHERE "subscriptions"."confirm_token_hash" is not null;
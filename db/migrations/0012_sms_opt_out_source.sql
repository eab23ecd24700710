ALTER TABLE "sms_opt_outs" ADD COLUMN "source" text DEFAULT 'reply' NOT NULL;--> statement-breakpoint
CREATE INDEX "sms_opt_outs_site_received_idx" ON "sms_opt_outs" USING btree ("site_id","received_at","phone");--> statement-breakpoint
-- Opt-outs learnt from a Twilio refusal (21610) were recorded with this keyword before the source column.
UPDATE "sms_opt_outs" SET "source" = 'provider', "keyword" = 'STOP' WHERE "keyword" = 'STOP (Twilio)';

ALTER TABLE "sms_replies" ADD COLUMN "answers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sms_replies" ADD COLUMN "answer_message_id" bigint;--> statement-breakpoint
ALTER TABLE "sms_replies" ADD CONSTRAINT "sms_replies_answer_message_id_outbound_messages_id_fk" FOREIGN KEY ("answer_message_id") REFERENCES "public"."outbound_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_replies_answer_message_idx" ON "sms_replies" USING btree ("answer_message_id") WHERE "sms_replies"."answer_message_id" is not null;
ALTER TABLE "sms_replies" ADD COLUMN "answers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sms_replies" ADD COLUMN "answer_message_id" bigint;--> statement-breakpoint
ALTER TABLE "sms_replies" ADD CONSTRAINT "sms_replies_answer_message_id_outbound_messages_id_fk" FOREIGN KEY ("answer_message_id") REFERENCES "public"."outbound_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_replies_answer_message_idx" ON "sms_replies" USING btree ("answer_message_id") WHERE "sms_replies"."answer_message_id" is not null;--> statement-breakpoint
-- Replies answered before this migration: their answers carry X-Chora-In-Reply-To: sms-reply-<id>.
UPDATE "sms_replies" r SET "answers" = a.n, "answer_message_id" = a.last
  FROM (SELECT substring(m."headers"->>'X-Chora-In-Reply-To' from '^sms-reply-([0-9]+)$')::bigint AS reply_id,
               count(*)::int AS n, max(m."id") AS last
          FROM "outbound_messages" m
         WHERE m."kind" = 'sms_reply' AND m."headers" ? 'X-Chora-In-Reply-To'
         GROUP BY 1) a
 WHERE r."id" = a.reply_id;

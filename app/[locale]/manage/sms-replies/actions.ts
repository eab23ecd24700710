"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { bigIdSchema } from "@/lib/ids";
import { answerReply } from "@/lib/sms/replies";
import { SMS_TEXT_MAX } from "@/lib/sms/segments";

const replyId = bigIdSchema;

/** "Answer": one SMS back to the number a reply came from, queued like any other. */
export const answerReplyAction = action(
  { schema: z.object({ id: replyId, text: z.string().trim().min(1).max(SMS_TEXT_MAX) }), role: "admin", refresh: true },
  async ({ id, text }, { actor, site }) => answerReply(site, id, text, `user:${actor.id}`),
);

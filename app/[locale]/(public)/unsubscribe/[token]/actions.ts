"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { findByToken, unsubscribeAll, unsubscribeGroup } from "@/lib/newsletters/unsubscribe";

const schema = z.object({
  token: z.string().max(200),
  group: z.union([z.literal("all"), z.coerce.number().int().positive().max(999_999_999)]),
});

/**
 * The unsubscribe page's buttons: leave one group (`group` = its id) or everything (`all`).
 * No account needed: the token in the link is the proof, checked here on every call.
 */
export const leaveAction = action({ schema, role: "guest", refresh: true }, async ({ token, group }) => {
  const who = await findByToken(token);
  if (!who) throw new ActionError({ key: "errors.unsubscribeLinkInvalid" });
  if (group === "all") {
    await unsubscribeAll(token);
    return { left: "all" as const };
  }
  if (!who.subscriptions.some((s) => s.groupId === group)) throw new ActionError({ key: "errors.notFound" });
  await unsubscribeGroup(token, group);
  return { left: group };
});

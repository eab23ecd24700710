"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { leaveGroup, undoLeave } from "@/lib/newsletters/undo-leave";
import { findByToken, unsubscribeAll } from "@/lib/newsletters/unsubscribe";

const schema = z.object({
  token: z.string().max(200),
  group: z.union([z.literal("all"), z.coerce.number().int().positive().max(999_999_999)]),
  /** The ticket a leave answered with: present, the group comes back instead (lib/newsletters/undo-leave.ts). */
  undo: z.string().max(200).optional(),
});

export type LeaveAnswer = { left: number | "all"; undo?: string | null } | { rejoined: number };

/**
 * The unsubscribe page's buttons: leave one group (`group` = its id) or everything (`all`), or
 * undo the leave of one group just made (`undo`). One action, so the page shows its last answer only.
 * No account needed: the token in the link is the proof, checked here on every call.
 */
export const leaveAction = action({ schema, role: "guest", refresh: true }, async ({ token, group, undo }): Promise<LeaveAnswer> => {
  const who = await findByToken(token);
  if (!who) throw new ActionError({ key: "errors.unsubscribeLinkInvalid" });
  if (group === "all") {
    // An undo names one group; one aimed at "all" is a forged request, not a wish to leave.
    if (undo !== undefined) throw new ActionError({ key: "errors.checkFields" });
    await unsubscribeAll(token);
    return { left: "all" };
  }
  if (!who.subscriptions.some((s) => s.groupId === group)) throw new ActionError({ key: "errors.notFound" });
  if (undo === undefined) return { left: group, undo: await leaveGroup(who, token, group) };
  if (!(await undoLeave(who, token, group, undo))) throw new ActionError({ key: "errors.unsubscribeUndoGone" });
  return { rejoined: group };
});

"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { CONFIRM_TTL_DAYS, confirmSubscription } from "@/lib/newsletters/signup";

const schema = z.object({ token: z.string().min(1).max(200) });

/**
 * The confirmation page's button: confirms what the emailed link was sent for, on this site.
 * No account needed: the token in the link is the proof.
 */
export const confirmSubscriptionAction = action({ schema, role: "guest" }, async ({ token }, { site }) => {
  const confirmed = await confirmSubscription(token, site.id);
  if (!confirmed) throw new ActionError({ key: "errors.subscriptionLinkInvalid", values: { days: CONFIRM_TTL_DAYS } });
  return { groupIds: confirmed.groupIds };
});

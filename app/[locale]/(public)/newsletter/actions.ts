"use server";
import { headers } from "next/headers";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { clientIp } from "@/lib/auth/credentials";
import { acceptSignup, signupSchema } from "@/lib/newsletters/signup-request";

/**
 * "Receive our news" on the home page. Succeeds identically for a new, unconfirmed or confirmed
 * address and for a filled honeypot; POST /api/newsletter/subscribe is the same thing over HTTP.
 */
export const subscribeAction = action({ schema: signupSchema, role: "guest" }, async (input, { site }) => {
  const h = await headers();
  const outcome = await acceptSignup(site, input, { ip: clientIp(h), userAgent: h.get("user-agent") ?? "" });
  if (outcome.status === "rate_limited") throw new ActionError({ key: "errors.signupRateLimited" });
  if (outcome.status === "invalid") throw new ActionError(outcome.msg, outcome.field);
});

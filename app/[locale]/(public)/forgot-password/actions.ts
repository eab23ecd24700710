"use server";
import { headers } from "next/headers";
import { after } from "next/server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { clientIp } from "@/lib/auth/credentials";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { emailField } from "@/lib/email-field";

const schema = z.object({ email: emailField });

/**
 * Always the same answer, whether or not the address has an account, and at the same moment:
 * the lookup, the link and its email are done after the response is sent, so its timing does
 * not tell an account (insert, email) from none (one select).
 */
export const requestResetAction = action({ schema, role: "guest" }, async ({ email }, { site }) => {
  const ip = clientIp(await headers());
  after(() => requestPasswordReset(site, email, ip));
});

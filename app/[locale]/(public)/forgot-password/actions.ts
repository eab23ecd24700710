"use server";
import { headers } from "next/headers";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { clientIp } from "@/lib/auth/credentials";
import { requestPasswordReset } from "@/lib/auth/password-reset";

const schema = z.object({ email: z.email().trim().toLowerCase().max(320) });

/** Always the same answer, whether or not the address has an account. */
export const requestResetAction = action({ schema, role: "guest" }, async ({ email }, { site }) => {
  await requestPasswordReset(site, email, clientIp(await headers()));
});

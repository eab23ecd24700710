"use server";
import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { endSession } from "@/lib/auth/ended-sessions";
import { signIn, signOut } from "@/lib/auth/next-auth";
import { sessionIdentity } from "@/lib/auth/session";
import { locales } from "@/lib/i18n/config";
import { safePath } from "@/lib/safe-path";

const signInSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  callbackUrl: z.string().max(2000).optional(),
  locale: z.enum(locales),
});

export const signInAction = action({ schema: signInSchema, role: "guest" }, async (input) => {
  try {
    await signIn("credentials", {
      email: input.email,
      password: input.password,
      redirectTo: safePath(input.callbackUrl) ?? `/${input.locale}`,
    });
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      throw new ActionError({ key: error.code === "rate_limited" ? "errors.rateLimited" : "errors.invalidCredentials" });
    }
    throw error;
  }
});

/**
 * Anyone may sign out (nothing to check): the session is recorded as ended, then its cookie
 * dropped. The cookie is dropped even when the record cannot be written (the database down).
 */
export async function signOutAction() {
  try {
    await endSession(await sessionIdentity());
  } catch (error) {
    console.warn("[auth] could not record the sign-out; the browser's cookie is dropped all the same", error);
  }
  await signOut({ redirectTo: "/" });
}

"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { confirmRegistration } from "@/lib/auth/registration";
import { openSession } from "@/lib/auth/session";

const schema = z.object({ token: z.string().min(20).max(200), password: z.string().min(1).max(1024) });

/** The emailed link's button: creates the account, signs this browser in, and goes home. */
export const confirmRegistrationAction = action({ schema, role: "guest" }, async ({ token, password }, { site }) => {
  // Closed since the link was sent: the site no longer takes new accounts, links included.
  if (!site.registrationOpen) throw new ActionError({ key: "errors.registrationClosed" });
  const user = await confirmRegistration(site, token, password);
  const signedIn = await openSession(user.email, password);
  redirect(signedIn ? `/${user.locale}` : `/${user.locale}/sign-in`);
});

"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { sendPasswordChangedNotice } from "@/lib/auth/notices";
import { openSession } from "@/lib/auth/session";
import { changePassword, updateUser } from "@/lib/users/manage";
import { newPasswordFields, passwordsMatch, userFields } from "@/lib/users/schemas";

const profileSchema = z.object({ name: userFields.name, locale: userFields.locale });

export const updateProfileAction = action({ schema: profileSchema, role: "member", refresh: true }, async (input, { actor }) => {
  await updateUser(actor.id, null, input);
});

const passwordSchema = z
  .object({ currentPassword: z.string().min(1).max(1024), ...newPasswordFields })
  .refine(passwordsMatch, { path: ["confirmPassword"], message: "errors.passwordsDiffer" })
  // Not a change: it would end the other sessions and email a "password changed" notice for nothing.
  .refine((v) => v.password !== v.currentPassword, { path: ["password"], message: "errors.samePassword" });

export const changePasswordAction = action({ schema: passwordSchema, role: "member" }, async (input, { actor, site }) => {
  await changePassword(actor.id, input.currentPassword, input.password);
  // The change ended every session opened with the old password; this browser gets a new one
  // (unless sign-in is refused: the account rate-limited by someone else's failed attempts).
  const renewed = await openSession(actor.email, input.password);
  await sendPasswordChangedNotice(site, actor);
  return { signInAgain: !renewed };
});

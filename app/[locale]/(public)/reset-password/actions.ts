"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { resetPassword } from "@/lib/auth/password-reset";
import { newPasswordFields, passwordsMatch } from "@/lib/users/schemas";

const schema = z
  .object({ token: z.string().min(20).max(200), ...newPasswordFields })
  .refine(passwordsMatch, { path: ["confirmPassword"], message: "errors.passwordsDiffer" });

export const resetPasswordAction = action({ schema, role: "guest" }, async ({ token, password }, { site }) => {
  await resetPassword(site, token, password);
});

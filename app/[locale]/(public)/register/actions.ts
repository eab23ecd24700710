"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { signIn } from "@/lib/auth/next-auth";
import { locales } from "@/lib/i18n/config";
import { createUser } from "@/lib/users/manage";
import { newPasswordFields, passwordsMatch } from "@/lib/users/schemas";

const schema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().trim().toLowerCase().max(320),
    locale: z.enum(locales),
    ...newPasswordFields,
  })
  .refine(passwordsMatch, { path: ["confirmPassword"], message: "errors.passwordsDiffer" });

export const registerAction = action({ schema, role: "guest" }, async (input, { site }) => {
  if (!site.registrationOpen) throw new ActionError({ key: "errors.registrationClosed" });
  await createUser({ siteId: site.id, email: input.email, name: input.name, password: input.password, role: "member", locale: input.locale });
  await signIn("credentials", { email: input.email, password: input.password, redirectTo: `/${input.locale}` });
});

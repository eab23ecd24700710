"use server";
import { headers } from "next/headers";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { clientIp } from "@/lib/auth/credentials";
import { REGISTRATION_TTL_HOURS, requestRegistration } from "@/lib/auth/registration";
import { locales } from "@/lib/i18n/config";
import { newPasswordFields, passwordsMatch } from "@/lib/users/schemas";
import { emailField } from "@/lib/email-field";

const schema = z
  .object({
    // One line, as every name that reaches mail: the confirmation greets the address with it, and
    // whoever typed someone else's address must not write paragraphs (links) into that mail.
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((v) => !/[\r\n]/.test(v), "errors.singleLine"),
    email: emailField,
    locale: z.enum(locales),
    ...newPasswordFields,
  })
  .refine(passwordsMatch, { path: ["confirmPassword"], message: "errors.passwordsDiffer" });

/** Always the same answer, whether or not the address has an account (on this site or another). */
export const registerAction = action({ schema, role: "guest" }, async (input, { site }) => {
  if (!site.registrationOpen) throw new ActionError({ key: "errors.registrationClosed" });
  await requestRegistration(site, input, clientIp(await headers()));
  return { email: input.email, hours: REGISTRATION_TTL_HOURS };
});

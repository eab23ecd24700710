import { z } from "zod";
import type { Site } from "@/db/schema";
import { phoneOrProblem, type PhoneOptions } from "@/lib/sms/phone-field";

/**
 * A mobile number field as a form's schema reads it (phoneOrProblem, the rule typedPhone applies
 * in a handler): E.164, or null for "" unless `required`. Checked with the form's other fields (an
 * action's schema built from its site, lib/actions/action.ts), so an invalid address and an invalid
 * number are both said in one answer, the number quoted as typed. `locale`: the reader's, which
 * names the site's country in the error (the action's ctx.locale).
 */
export const phoneInput = (site: Pick<Site, "defaultCountry">, locale: string, options: PhoneOptions & { required?: boolean } = {}) =>
  z
    .string()
    .trim()
    .max(40)
    .default("")
    .transform((typed, ctx) => {
      const phone = phoneOrProblem(typed, site.defaultCountry, locale, options);
      if (phone.ok && (phone.e164 || !options.required)) return phone.e164;
      // Also when the field is missing (the default "" is not parsed again): required is required.
      const problem = phone.ok ? { key: "errors.required" } : phone.problem;
      ctx.addIssue({ code: "custom", message: problem.key, params: problem.values });
      return z.NEVER;
    });

/** A number the form cannot do without (a test SMS's recipient): "" is errors.required, so the value is a string. */
export const requiredPhoneInput = (site: Pick<Site, "defaultCountry">, locale: string, options: PhoneOptions = {}) =>
  phoneInput(site, locale, { ...options, required: true }).transform((e164) => e164 as string);

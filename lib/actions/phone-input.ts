import { z } from "zod";
import type { Site } from "@/db/schema";
import { normalizePhone } from "@/lib/sms/phone";

/**
 * A mobile number field as a form's schema reads it (lib/sms/phone-field.ts typedPhone's rules):
 * national for the site's country or international, in E.164; "" is no number (null). Checked
 * with the form's other fields (an action's schema built from its site, lib/actions/action.ts),
 * so an invalid address and an invalid number are both said in one answer, the number quoted as typed.
 */
export const phoneInput = (site: Pick<Site, "defaultCountry">) =>
  z
    .string()
    .trim()
    .max(40)
    .default("")
    .transform((typed, ctx) => {
      if (!typed) return null;
      const phone = normalizePhone(typed, site.defaultCountry);
      if (phone.ok) return phone.e164;
      ctx.addIssue({ code: "custom", message: "errors.invalidPhone", params: { number: typed } });
      return z.NEVER;
    });

"use server";
import { z } from "zod";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { addOptOutByHand, removeOptOut } from "@/lib/sms/opt-out-list";
import { formatPhone } from "@/lib/sms/phone";
import { typedPhone } from "@/lib/sms/phone-field";
import { E164 } from "@/lib/sms/url";

/** A number an admin takes out of the site's SMS sends (the person asked by phone, mail or at the desk). */
export const addOptOutAction = action(
  { schema: z.object({ phone: z.string().trim().min(1).max(40) }), role: "admin", refresh: true },
  async (input, { site, locale }) => {
    // A number that can take an SMS, as every other SMS number field asks: a landline accepted
    // here told the admin it "will no longer receive SMS", which it never could, and hid a typo.
    const phone = typedPhone(input.phone, site, locale)!;
    if (!(await addOptOutByHand(site.id, phone))) throw new ActionError({ key: "errors.alreadyOptedOut", values: { number: formatPhone(phone) } }, "phone");
    return { phone: formatPhone(phone) };
  },
);

/** A number back in the site's SMS sends (the person asked for SMS again). Only this site's list is touched. */
export const removeOptOutAction = action(
  { schema: z.object({ phone: z.string().regex(E164) }), role: "admin", refresh: true },
  async (input, { site }) => {
    if (!(await removeOptOut(site.id, input.phone))) throw new ActionError({ key: "errors.notFound" });
    return { phone: formatPhone(input.phone) };
  },
);

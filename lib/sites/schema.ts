import { z } from "zod";
import { locales } from "@/lib/i18n/config";
import { optionalEmailField } from "@/lib/email-field";
import { isSupportedCountry } from "libphonenumber-js";
import { normalizeSender } from "@/lib/sms/phone";
import { E164, SECRET_MASK, validSmsUrl } from "@/lib/sms/url";
import { checkbox } from "@/lib/users/schemas";
import { holidaysKnown } from "@/lib/sms/sending-hours";
import { HHMM, hoursInOrder } from "@/lib/sms/sms-hours";
import { validTimeZone } from "@/lib/time-zone";
import type { NewSite } from "@/db/schema";

/**
 * A domain with letters beyond ASCII, as its punycode host (`bücher.example` →
 * `xn--bcher-kva.example`); anything else as it is, for the checks that follow. Only a bare name
 * is converted: the URL parser would read a path, a port or credentials out of anything more.
 */
function asciiDomain(value: string): string {
  if (!/[^\x00-\x7f]/.test(value) || /[\s/\\:?#@%[\]]/.test(value)) return value;
  try {
    return new URL(`http://${value}`).hostname;
  } catch {
    return value;
  }
}

export const siteFields = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .max(1000)
    // As people write an internationalised name (bücher.example); browsers send its Host in punycode.
    .transform(asciiDomain)
    .pipe(
      z
        .string()
        .min(1)
        .max(253)
        .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, "errors.domain"),
    ),
  name: z.string().trim().min(1).max(200),
  defaultLocale: z.enum(locales),
  senderName: z.string().trim().max(200).default(""),
  senderEmail: optionalEmailField.default(""),
  /** Phone numbers in national format are read in this country. */
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => isSupportedCountry(v), "errors.country")
    .default("FR"),
  /** An E.164 number, or an alphanumeric sender of at most 11 characters (what handsets show). */
  smsSender: z
    .string()
    .trim()
    // "+33 7 00 00 00 01" or "+33 (0)7 00…" as people write numbers: stored compact, as SMSCs
    // take it (the "(0)" is the national trunk prefix, never dialled after the country code).
    .transform((v) => (/^\+[\d\s.\-()]+$/.test(v) ? v.replace(/\(0\)/, "").replace(/[\s.\-()]/g, "") : v))
    // Digits only ("06 12 34 56 78") are a number in the site's country: see senderAsSent.
    .refine((v) => v === "" || E164.test(v) || /^[A-Za-z0-9 ]{1,11}$/.test(v) || /^[\d\s.\-()]{1,20}$/.test(v), "errors.smsSender")
    .default(""),
  /** smpp://, smpps:// or twilio:// (see .env.example); empty: the installation's SMS_URL. */
  smsUrl: z
    .string()
    .trim()
    .max(1000)
    // The bare mask stands for a stored URL this AUTH_SECRET cannot decrypt (kept as it is).
    .refine((v) => v === "" || v === SECRET_MASK || validSmsUrl(v), "errors.smsUrl")
    .transform((v) => v || null)
    .default(null),
  /** The site's clock: its SMS sending hours are read in it. */
  timeZone: z.string().trim().max(100).refine(validTimeZone, "errors.timeZone").default("Europe/Paris"),
  /** Newsletter SMS only within hours; the rest is looked at only when this is on. */
  smsHoursOn: checkbox,
  smsHoursFrom: z.string().trim().max(20).default(""),
  smsHoursTo: z.string().trim().max(20).default(""),
  smsDays: z.preprocess(
    (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().min(1).max(7)).max(7),
  ),
  smsSkipHolidays: checkbox,
  registrationOpen: checkbox,
  isDefault: checkbox,
});

/**
 * A sender made of digits only: up to 8 digits not starting with 0 is a short code, kept as it is;
 * anything else is a phone number, written nationally ("06 12 34 56 78") or without its "+",
 * which SMSCs and Twilio take only in E.164. Null when it is no number. Other senders (E.164,
 * letters) are returned as they are.
 */
export function senderAsSent(sender: string, country: string): string | null {
  const compact = sender.replace(/[\s.\-()]/g, "");
  if (!/^\d+$/.test(compact)) return sender;
  if (/^[1-9]\d{0,7}$/.test(compact)) return compact;
  // Read as a reply's sender is: in the site's country, or whole without its "+" ("33612345678"
  // on a German site is the French mobile, not a Brandenburg landline), an SMS line first.
  const phone = normalizeSender(compact, country);
  return phone.ok ? phone.e164 : null;
}

/** The site's fields with their cross-field checks (sending hours, a national sender), for forms that add their own fields. */
export const withSiteChecks = <S extends z.ZodType<SiteFormInput>>(schema: S) =>
  schema.superRefine((v, ctx) => {
    if (senderAsSent(v.smsSender, v.defaultCountry) === null) ctx.addIssue({ code: "custom", path: ["smsSender"], message: "errors.smsSender" });
    // Turned off, the hours are still kept (the form shows them dimmed, for turning them on
    // again): what was typed must make sense, or it would be lost without a word. Only the
    // holidays, which depend on the country, wait until the hours are on.
    if (!v.smsHoursOn && !hoursGiven(v)) return;
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!HHMM.test(v.smsHoursFrom)) issue("smsHoursFrom", "errors.time");
    if (!HHMM.test(v.smsHoursTo)) issue("smsHoursTo", "errors.time");
    else if (HHMM.test(v.smsHoursFrom) && !hoursInOrder(v.smsHoursFrom, v.smsHoursTo)) issue("smsHoursTo", "errors.smsHoursOrder");
    if (v.smsDays.length === 0) issue("smsDays", "errors.smsDays");
    if (v.smsHoursOn && v.smsSkipHolidays && !holidaysKnown(v.defaultCountry)) issue("smsSkipHolidays", "errors.holidaysUnknown");
  });

/** Whether the input carries sending hours at all (the form always does; other callers may not). */
const hoursGiven = (v: Pick<SiteFormInput, "smsHoursFrom" | "smsHoursTo" | "smsDays">) => v.smsHoursFrom !== "" || v.smsHoursTo !== "" || v.smsDays.length > 0;

export type SiteFormInput = z.output<typeof siteFields>;

/** The form's fields as the site's columns. */
export function siteColumns(input: SiteFormInput): Omit<NewSite, "id" | "createdAt"> {
  const { smsHoursOn, smsHoursFrom, smsHoursTo, smsDays, smsSkipHolidays, ...columns } = input;
  // Checked by withSiteChecks: a national number is stored as the E.164 it stands for.
  columns.smsSender = senderAsSent(columns.smsSender, columns.defaultCountry) ?? columns.smsSender;
  // Checked by withSiteChecks whenever given: kept, on or off.
  const smsHours =
    smsHoursOn || hoursGiven(input)
      ? { on: smsHoursOn, from: smsHoursFrom, to: smsHoursTo, days: [...new Set(smsDays)].sort((a, b) => a - b), skipHolidays: smsSkipHolidays }
      : null;
  return { ...columns, smsHours };
}

"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { Site } from "@/db/schema";
import { action } from "@/lib/actions/action";
import { ActionError, type Msg } from "@/lib/actions/errors";
import { phoneInput } from "@/lib/actions/phone-input";
import { locales, type Locale } from "@/lib/i18n/config";
import { bigIdSchema, idSchema } from "@/lib/ids";
import { isEmail, normalizeEmail } from "@/lib/newsletters/addresses";
import { shownEmail } from "@/lib/idn";
import { addedByNote } from "@/lib/newsletters/consent-note";
import { eraseSubscriber, erasureFindings } from "@/lib/newsletters/erase";
import { createGroup } from "@/lib/newsletters/groups";
import { addSubscribers } from "@/lib/newsletters/subscriptions/add";
import { isRefusedOutcome, refusalsOf, type AddOutcome, type RefusedOutcome } from "@/lib/newsletters/subscriptions/planned-outcome";
import { moveSubscriptions } from "@/lib/newsletters/subscriptions/move";
import { pasteAddresses, shownPasteReport } from "@/lib/newsletters/subscriptions/paste";
import { removeSubscriptions } from "@/lib/newsletters/subscriptions/remove";
import { setSubscriptionPhone } from "@/lib/newsletters/subscriptions/set-phone";
import { setSubscriptionsLocale } from "@/lib/newsletters/subscriptions/set-language";
import { siteLocale } from "@/lib/i18n/reader-locale";
import { formatPhone } from "@/lib/sms/phone";
import { typedPhone } from "@/lib/sms/phone-field";

const label = z.string().trim().min(1).max(200);
// One line: a name goes into the To: header of every email to the person (nodemailer encodes a
// line break, but a name that reads "Eve\nBcc: …" has no place in a list either).
const name = z.string().trim().max(200).refine((v) => !/[\r\n]/.test(v), "errors.singleLine").default("");
// Subscriptions have bigint ids (groups and sites have integer ones: idSchema).
const subscriptionId = bigIdSchema;
const ids = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(subscriptionId).min(1, "errors.selectSubscribers").max(1000),
);
const phoneField = z.string().trim().max(40).default("");
// The language new subscriptions read; a form that sends none gets the site's (newLanguage).
const language = z.enum(locales).optional();
const newLanguage = (input: { language?: (typeof locales)[number] }, site: Site) => input.language ?? siteLocale(site.defaultLocale);

/** "New group": the next number, labelled in every language; then its page. */
export const createGroupAction = action(
  { schema: z.object({ locale: z.enum(locales), fr: label, en: label }), role: "admin" },
  async (input, { site }) => {
    // Safe when two administrators create one at the same moment: createGroup takes turns.
    const id = await createGroup(site, { fr: input.fr, en: input.en });
    redirect(`/${input.locale}/manage/subscriptions/${id}?created=1`);
  },
);

const emailField = z
  .string()
  .trim()
  .min(1)
  .max(320)
  .transform(normalizeEmail)
  .refine(isEmail, "errors.email");

/**
 * One address added by an administrator: confirmed at once, the consent record says by whom,
 * with an optional mobile number. An address already in the group with another number given gets
 * that number (the form is also how a known subscriber's number is entered); without one, or with
 * the one it has, it is "already subscribed". `language` is the new subscription's (one already
 * there keeps its own). The number is read with the other fields (phoneInput): every field's
 * error comes in one answer.
 */
export const addSubscriberAction = action(
  { schema: (site: Site, locale: Locale) => z.object({ group: idSchema, email: emailField, name, phone: phoneInput(site, locale), language }), role: "admin", refresh: true },
  async (input, { site, actor }) => {
    const { phone } = input;
    // Handed back too: the form offers it again for the next address.
    const language = newLanguage(input, site);
    const { outcomes, phones } = await addSubscribers(site.id, input.group, [{ email: input.email, name: input.name, phone }], {
      status: "confirmed",
      source: "screen",
      consentText: addedByNote(actor.email),
      locale: language,
    });
    const outcome = outcomes.get(input.email)!;
    if (isRefusedOutcome(outcome)) throw await refusal(site.id, input.group, input.email, phone, outcome);
    // Said back as it was typed (ann@crème.fr), not as stored (ann@xn--crme-6oa.fr).
    const email = shownEmail(input.email);
    // Already there: a number it did not have is said set; the one it has changes nothing.
    if (outcome === "already" && phone && phones.has(input.email)) return { outcome: "phone" as const, email, phone: formatPhone(phone), language };
    if (outcome === "already" && phone) throw new ActionError({ key: "errors.alreadySubscribedSamePhone", values: { email, phone: formatPhone(phone) } }, "email");
    if (outcome === "already") throw new ActionError({ key: "errors.alreadySubscribed", values: { email } }, "email");
    return { outcome, email, phone: phone && formatPhone(phone), language };
  },
);

/**
 * The refusal of one address (`outcome`) with the other field's too, if any (refusalsOf): an
 * erased person's number given with an address that left the group is said on both fields at once.
 */
async function refusal(siteId: number, group: number, address: string, phone: string | null, outcome: RefusedOutcome): Promise<ActionError> {
  const email = shownEmail(address);
  const also = await refusalsOf(siteId, group, address, phone);
  const addressMsg = (o: AddOutcome): Msg | null => (isRefusedOutcome(o) && o !== "erasedPhone" ? { key: `errors.${o}Address`, values: { email } } : null);
  const phoneMsg: Msg = { key: "errors.erasedPhone" };
  if (outcome === "erasedPhone") {
    const other = addressMsg(also.address);
    return new ActionError(phoneMsg, "phone", other ? { email: other } : undefined);
  }
  return new ActionError(addressMsg(outcome)!, "email", also.erasedPhone ? { phone: phoneMsg } : undefined);
}

/**
 * Sets, changes or (empty) removes the mobile number of one subscription of the group's list.
 * Only a subscription of this site and group is touched: another id is "not found".
 */
export const setPhoneAction = action(
  { schema: z.object({ group: idSchema, id: subscriptionId, phone: phoneField }), role: "admin", refresh: true },
  async (input, { site, locale }) => {
    const phone = typedPhone(input.phone, site, locale);
    const found = await setSubscriptionPhone(site.id, input.group, input.id, phone);
    if (!found) throw new ActionError({ key: "errors.notFound" });
    return { email: shownEmail(found.email), phone: phone && formatPhone(phone) };
  },
);

/** Many addresses at once, one per line or separated by commas, semicolons or spaces. */
export const pasteSubscribersAction = action(
  { schema: z.object({ group: idSchema, addresses: z.string().min(1).max(500_000), language }), role: "admin", refresh: true },
  async (input, { site, actor }) => {
    const language = newLanguage(input, site);
    const report = await pasteAddresses(site.id, input.group, input.addresses, addedByNote(actor.email), site.defaultCountry, language);
    if (report.added + report.confirmed + report.already + report.refused.length + report.refusedNumbers.length === 0) {
      throw new ActionError({ key: "errors.noValidAddresses", values: { invalid: report.invalid.slice(0, 20).join(", ") } }, "addresses");
    }
    // The language travels back with the entries kept in the box, to be sent again as chosen.
    return { ...shownPasteReport(report), language };
  },
);

/**
 * Removes the selection from the group (only rows of this site and group are touched); the
 * unsubscribed ones are kept and counted in `kept` (see removeSubscriptions).
 */
export const removeSubscriptionsAction = action({ schema: z.object({ group: idSchema, ids }), role: "admin", refresh: true }, async (input, { site }) => {
  const { removed, kept } = await removeSubscriptions(site.id, input.group, input.ids);
  return { count: removed, kept };
});

/** Moves the selection to another group, merging with addresses already there. */
export const moveSubscriptionsAction = action(
  {
    schema: z.object({ group: idSchema, to: idSchema, ids }).refine((v) => v.to !== v.group, { path: ["to"], message: "errors.sameGroup" }),
    role: "admin",
    refresh: true,
  },
  async (input, { site }) => moveSubscriptions(site.id, input.group, input.to, input.ids),
);

/**
 * "Set language": the selection reads `locale` from now on (only rows of this site and group are
 * touched). `count`: how many of the selection were there.
 */
export const setSubscriptionsLocaleAction = action(
  { schema: z.object({ group: idSchema, ids, locale: z.enum(locales) }), role: "admin", refresh: true },
  async (input, { site }) => ({ count: await setSubscriptionsLocale(site.id, input.group, input.ids, input.locale), locale: input.locale }),
);

/**
 * What erasing an address would find on the site (erasureFindings), for the erase dialog to say
 * before it asks: an address with no subscription is often a typo, to be corrected.
 */
export const eraseFindingsAction = action({ schema: z.object({ email: emailField }), role: "admin" }, async (input, { site }) => erasureFindings(site.id, input.email));

/**
 * "Erase this person" (right to erasure), for an administrator of the site: every subscription
 * of the address on the site and what goes with it (see eraseSubscriber). An address the site
 * does not know is recorded as erased all the same: the request is honoured before a list brings it.
 */
export const eraseSubscriberAction = action({ schema: z.object({ email: emailField }), role: "admin", refresh: true }, async (input, { site, actor }) => ({
  email: shownEmail(input.email),
  ...(await eraseSubscriber(site.id, input.email, `user:${actor.id}`)),
}));

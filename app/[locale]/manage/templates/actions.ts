"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { Site } from "@/db/schema";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { locales } from "@/lib/i18n/config";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { idSchema } from "@/lib/ids";
import { isEmail, normalizeEmail } from "@/lib/newsletters/addresses";
import { shownEmail } from "@/lib/idn";
import { listGroups } from "@/lib/newsletters/groups";
import { templateUnknownPlaceholders } from "@/lib/newsletters/placeholders";
import { SEND_REQUEST_KEY } from "@/lib/newsletters/send-request-key";
import {
  audienceOf,
  cancelScheduledSend,
  countAudience,
  getTemplate,
  sendBlockers,
  sendPreviewCount,
  sendTemplate,
  testSend,
  testSendSms,
} from "@/lib/newsletters/send";
import { retrySendFailures } from "@/lib/newsletters/retry-failures";
import { cloneTemplate, createTemplate, deleteTemplate, groupIdsSchema, searchPhoneSubscribers, templateFields, updateTemplate } from "@/lib/newsletters/templates";

const locale = z.enum(locales);
const byId = z.object({ id: idSchema });

async function knownGroups(site: Site) {
  return new Set((await listGroups(site, "fr")).map((g) => g.id));
}

async function templateOf(siteId: number, id: number) {
  const template = await getTemplate(siteId, id);
  if (!template) throw new ActionError({ key: "errors.notFound" });
  return template;
}

/**
 * Create (no id: then on to its editor) or save. An unknown placeholder does not stop a save,
 * only a send: the result names the unknown ones so the editor can warn.
 */
export const saveTemplateAction = action(
  { schema: z.object({ id: idSchema.optional(), locale, ...templateFields }), role: "admin", refresh: true },
  async ({ id, locale: lang, ...input }, { site, actor, locale: reader }) => {
    const groups = await knownGroups(site);
    const numbers = { country: site.defaultCountry, locale: reader };
    if (!id) {
      const created = await createTemplate(site.id, input, groups, actor.id, numbers);
      redirect(`/${lang}/manage/templates/${created.id}?created=1`);
    }
    // Another site's (or a missing) template is "not found" before anything about its content.
    await templateOf(site.id, id);
    const saved = await updateTemplate(site.id, id, input, groups, numbers);
    if (!saved) throw new ActionError({ key: "errors.notFound" });
    return { id: saved.id, text: saved.text, unknown: templateUnknownPlaceholders(saved) };
  },
);

/** A copy named "Copy of …" in the screen's language, opened in the editor. */
export const cloneTemplateAction = action({ schema: z.object({ id: idSchema, locale }), role: "admin" }, async ({ id, locale: lang }, { site, actor }) => {
  const t = translatorFor(lang, await messagesFor(lang, site));
  const copy = await cloneTemplate(site.id, id, (name) => t("templates.copyName", { name }), actor.id);
  if (!copy) throw new ActionError({ key: "errors.notFound" });
  redirect(`/${lang}/manage/templates/${copy.id}?cloned=1`);
});

export const deleteTemplateAction = action({ schema: byId, role: "admin" }, async ({ id }, { site }) => {
  if (!(await deleteTemplate(site.id, id))) throw new ActionError({ key: "errors.notFound" });
  return { deleted: id };
});

/** A test send of the saved template to one address, through the queue. */
export const testSendAction = action(
  {
    schema: z.object({
      id: idSchema,
      address: z
        .string()
        .trim()
        .min(1)
        .max(320)
        .refine((v) => isEmail(normalizeEmail(v)), { message: "errors.email" })
        .transform(normalizeEmail),
    }),
    role: "admin",
  },
  async ({ id, address }, { site, actor }) => {
    await testSend(site, await templateOf(site.id, id), address, actor.id);
    // Said back with its domain as typed (ann@crème.fr), not as stored.
    return { address: shownEmail(address) };
  },
);

/** A test send of a saved SMS template to one number (typed in any format), through the queue. */
export const testSmsAction = action(
  { schema: z.object({ id: idSchema, to: z.string().trim().min(1).max(40) }), role: "admin" },
  async ({ id, to }, { site, actor, locale }) => {
    await testSendSms(site, await templateOf(site.id, id), to, actor.id, locale);
    return { to };
  },
);

/** "Preview as" for an SMS template: confirmed subscribers of the groups with a number. */
export const searchPhoneSubscribersAction = action(
  { schema: z.object({ groupIds: groupIdsSchema, q: z.string().trim().min(2).max(320), readers: z.enum(locales).optional() }), role: "admin" },
  async ({ groupIds, q, readers }, { site }) => ({
    subscribers: await searchPhoneSubscribers(site.id, groupIds, q, 10, site.defaultCountry, { readers: readers ?? null, siteLocale: site.defaultLocale }),
  }),
);

/** Before "Send": how many distinct confirmed recipients (addresses, or numbers) it would have. Queues nothing. */
export const countSendAction = action({ schema: byId, role: "admin" }, async ({ id }, { site }) => {
  const template = await templateOf(site.id, id);
  const blockers = sendBlockers(template);
  if (blockers.length) throw new ActionError(blockers[0]);
  return sendPreviewCount(site, template);
});

/** Scheduling needs a moment at least a minute ahead; the browser sends it in UTC. */
const scheduleSchema = z
  .object({
    id: idSchema,
    when: z.enum(["now", "later"]),
    scheduledAt: z.string().max(40).optional(),
    // Drawn by the send dialog when it opens (components/templates/send-button.tsx).
    requestKey: z.string().regex(SEND_REQUEST_KEY).optional(),
  })
  .transform((v, ctx) => {
    if (v.when === "now") return { id: v.id, scheduledAt: null, requestKey: v.requestKey };
    const at = v.scheduledAt ? new Date(v.scheduledAt) : null;
    if (!v.scheduledAt) ctx.addIssue({ code: "custom", path: ["scheduledAt"], message: "errors.required" });
    else if (!at || Number.isNaN(at.getTime())) ctx.addIssue({ code: "custom", path: ["scheduledAt"], message: "errors.dateTime" });
    else if (at.getTime() < Date.now() + 60_000) ctx.addIssue({ code: "custom", path: ["scheduledAt"], message: "errors.scheduleInPast" });
    else if (at.getTime() > Date.now() + 366 * 86_400_000) ctx.addIssue({ code: "custom", path: ["scheduledAt"], message: "errors.scheduleTooFar" });
    return { id: v.id, scheduledAt: at, requestKey: v.requestKey };
  });

/**
 * "Send", once confirmed: a new send every time, queued now or scheduled. The same confirmation
 * sent again (its answer lost, "try again") returns the send it made: see sendTemplate.
 */
export const sendTemplateAction = action({ schema: scheduleSchema, role: "admin" }, async ({ id, scheduledAt, requestKey }, { site, actor }) => {
  const template = await templateOf(site.id, id);
  // Scheduled sends take their recipients when they go out; a send now needs someone today.
  if (!scheduledAt && sendBlockers(template).length === 0 && (await countAudience(audienceOf(template, site))) === 0) {
    throw new ActionError({ key: template.channel === "sms" ? "errors.noSmsRecipients" : "errors.noRecipients" });
  }
  const send = await sendTemplate(site, template, { actorId: actor.id, scheduledAt, requestKey });
  if (!send) throw new ActionError({ key: "errors.unexpected" });
  return { sendId: send.id, status: send.status, recipientCount: send.recipientCount };
});

export const cancelSendAction = action({ schema: byId, role: "admin", refresh: true }, async ({ id }, { site }) => {
  await cancelScheduledSend(site.id, id);
  return { cancelled: id };
});

/** Resends the failures of a send that can still go; answers how many went back and how many were left out, and why. */
export const retryFailuresAction = action({ schema: byId, role: "admin", refresh: true }, async ({ id }, { site, actor }) => {
  return retrySendFailures(site.id, id, `user:${actor.id}`);
});

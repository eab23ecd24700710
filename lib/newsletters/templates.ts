import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, rows } from "@/db/client";
import { likeEscape } from "@/lib/db-utils";
import { languageOf, newestLanguage } from "./audience-language";
import { messageTemplates, newsletterSends, queue, templateChannels } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { locales } from "@/lib/i18n/config";
import { idSchema } from "@/lib/ids";
import { keysetPage, keysetSql, type KeysetOptions } from "@/lib/paging";
import { DEFAULT_COUNTRY, formatPhone, isPhoneLike } from "@/lib/sms/phone";
import { numberPrefix } from "@/lib/sms/opt-out-list";
import { normalizeEmail, parseAddressList } from "./addresses";
import { optionalEmailField } from "@/lib/email-field";
import { shownEmail } from "@/lib/idn";
import { parsePhoneList, pastedNumber } from "./phones";
import { textFromHtml } from "./render";
import { completedSends } from "./send-status";
import { whereRead } from "@/lib/sms/phone-field";
import { SMS_TEXT_MAX } from "@/lib/sms/segments";

/** Sizes a template may have; the editor gets them as `maxLength` so nobody types past them. */
export const TEMPLATE_LIMITS = { name: 200, subject: 500, html: 300_000, text: 100_000, fromName: 200, address: 320, pasted: 100_000, groups: 100 };

const singleLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !/[\r\n]/.test(v), { message: "errors.singleLine" })
    .transform((v) => v.trim());
const flag = z
  .union([z.boolean(), z.enum(["on", "off", "true", "false", ""])])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");
/** Checkboxes named `groupIds`: nothing, one value or several. */
export const groupIdsSchema = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(idSchema).max(TEMPLATE_LIMITS.groups),
);

/** Whose language a template is for: "" for the groups' subscribers in every language. */
export const audienceLocaleSchema = z.union([z.literal(""), z.enum(locales)]).default("");

/** The editor's fields, as a form or a test sends them. */
export const templateFields = {
  name: singleLine(TEMPLATE_LIMITS.name).pipe(z.string().min(1)),
  channel: z.enum(templateChannels).default("email"),
  // An SMS template's form has no subject: it is only required to send an email.
  subject: singleLine(TEMPLATE_LIMITS.subject).default(""),
  html: z.string().max(TEMPLATE_LIMITS.html).default(""),
  text: z.string().max(TEMPLATE_LIMITS.text).default(""),
  textEdited: flag,
  fromName: singleLine(TEMPLATE_LIMITS.fromName).default(""),
  fromAddress: optionalEmailField.default(""),
  replyTo: optionalEmailField.default(""),
  groupIds: groupIdsSchema,
  audienceLocale: audienceLocaleSchema,
  pastedRecipients: z.string().max(TEMPLATE_LIMITS.pasted).default(""),
};
export const templateSchema = z.object(templateFields);
export type TemplateInput = z.input<typeof templateSchema>;
type TemplateValues = z.output<typeof templateSchema>;

/**
 * Where the pasted numbers of an SMS template are read (the site's `defaultCountry`), and the
 * reader's language (the action's ctx.locale), in which a refusal names that country.
 */
export type NumbersRead = { country: string; locale: string };

/**
 * What is stored: the text part follows the HTML until someone edits it by hand; a pasted
 * address (or number, for an SMS template) that is not one is refused, naming it, rather than
 * silently dropped at send time. An SMS template stores only its text: the email fields it does
 * not show are left as they were, so switching back to email finds them again.
 */
function stored(input: TemplateValues, knownGroups: Set<number>, { country, locale }: NumbersRead) {
  const sms = input.channel === "sms";
  const { invalid } = sms ? parsePhoneList(input.pastedRecipients, country) : parseAddressList(input.pastedRecipients);
  if (invalid.length) {
    const values = { list: invalid.slice(0, 5).join(", ") + (invalid.length > 5 ? ", …" : ""), count: invalid.length };
    // Numbers say in which country national ones were read, as a single number's refusal does.
    const msg = sms ? { key: "errors.invalidPhones", values: { ...values, ...whereRead(invalid.map(pastedNumber), country, locale) } } : { key: "errors.invalidAddresses", values };
    throw new ActionError(msg, "pastedRecipients");
  }
  const groupIds = [...new Set(input.groupIds)].sort((a, b) => a - b);
  if (groupIds.some((g) => !knownGroups.has(g))) throw new ActionError({ key: "errors.unknownGroup" }, "groupIds");
  const common = { name: input.name, channel: input.channel, groupIds, audienceLocale: input.audienceLocale || null, pastedRecipients: input.pastedRecipients.trim() };
  // Hand-written, so it never follows the HTML, even if the template goes back to email.
  if (sms && input.text.length > SMS_TEXT_MAX) throw new ActionError({ key: "errors.tooLong", values: { max: SMS_TEXT_MAX } }, "text");
  if (sms) return { ...common, text: input.text, textEdited: true };
  return {
    ...common,
    subject: input.subject,
    html: input.html,
    text: input.textEdited ? input.text : textFromHtml(input.html),
    textEdited: input.textEdited,
    fromName: input.fromName,
    fromAddress: input.fromAddress,
    replyTo: input.replyTo || null,
  };
}

export async function createTemplate(siteId: number, input: TemplateValues, knownGroups: Set<number>, createdBy: number | null, numbers: NumbersRead) {
  const [row] = await db
    .insert(messageTemplates)
    .values({ siteId, ...stored(input, knownGroups, numbers), createdBy })
    .returning();
  return row;
}

/** The template `id` of site `siteId` (a template is only ever reached through its site). */
const siteTemplate = (siteId: number, id: number) => and(eq(messageTemplates.siteId, siteId), eq(messageTemplates.id, id));

/**
 * Saves an edit. The channel may change until the template is first sent: its sends' reports
 * (and a send still scheduled, which reads the template when it goes out) belong to one channel.
 */
export async function updateTemplate(siteId: number, id: number, input: TemplateValues, knownGroups: Set<number>, numbers: NumbersRead) {
  const values = stored(input, knownGroups, numbers);
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ channel: messageTemplates.channel })
      .from(messageTemplates)
      .where(siteTemplate(siteId, id))
      .for("update");
    if (!current) return null;
    if (current.channel !== values.channel && (await hasSends(id, tx))) throw new ActionError({ key: "errors.channelLocked" }, "channel");
    const [row] = await tx
      .update(messageTemplates)
      .set({ ...values, updatedAt: new Date() })
      .where(siteTemplate(siteId, id))
      .returning();
    return row ?? null;
  });
}

/** Whether the template was ever sent (or scheduled): then its channel is fixed. */
async function hasSends(templateId: number, tx: Pick<typeof db, "select"> = db) {
  const [send] = await tx.select({ id: newsletterSends.id }).from(newsletterSends).where(eq(newsletterSends.templateId, templateId)).limit(1);
  return !!send;
}

/** A copy under a new name: the original's way of sending one message to several groups. */
export async function cloneTemplate(siteId: number, id: number, name: (original: string) => string, createdBy: number | null) {
  const [original] = await db.select().from(messageTemplates).where(siteTemplate(siteId, id));
  if (!original) return null;
  const { id: _id, createdAt: _c, updatedAt: _u, createdBy: _b, ...copy } = original;
  const [row] = await db
    .insert(messageTemplates)
    .values({ ...copy, name: name(original.name).slice(0, TEMPLATE_LIMITS.name), createdBy })
    .returning();
  return row;
}

/**
 * Deletes a template; its past sends keep their reports. A send still scheduled would go out
 * with no recipients once its template is gone, so it has to be cancelled first.
 */
export async function deleteTemplate(siteId: number, id: number) {
  return db.transaction(async (tx) => {
    const [template] = await tx
      .select({ id: messageTemplates.id })
      .from(messageTemplates)
      .where(siteTemplate(siteId, id))
      .for("update");
    if (!template) return false;
    const [scheduled] = await tx
      .select({ id: newsletterSends.id })
      .from(newsletterSends)
      .where(and(eq(newsletterSends.templateId, id), eq(newsletterSends.status, "scheduled")))
      .limit(1);
    if (scheduled) throw new ActionError({ key: "errors.templateScheduled" });
    await tx.delete(messageTemplates).where(eq(messageTemplates.id, id));
    return true;
  });
}

/** The sends of one template, newest first; `completed`: queued, and every row has its outcome. */
export async function listSends(siteId: number, templateId: number, limit = 20) {
  const sends = await db
    .select()
    .from(newsletterSends)
    .where(and(eq(newsletterSends.siteId, siteId), eq(newsletterSends.templateId, templateId)))
    .orderBy(desc(newsletterSends.id))
    .limit(limit);
  const completed = await completedSends(sends);
  return sends.map((s) => ({ ...s, completed: completed.has(s.id) }));
}

/**
 * The recipients of a send whose row ended in error, with the reason, a page at a time in queue
 * order, keyset-paginated both ways on id (lib/paging.ts) through the (message_id, id) index.
 */
export async function failedRecipients(siteId: number, messageId: number, options: KeysetOptions<number> = {}) {
  return keysetPage(
    options,
    ({ cursor, back, take }) => {
      const k = keysetSql("asc", back);
      return db
        .select({ id: queue.id, channel: queue.channel, recipient: queue.recipient, recipientName: queue.recipientName, lastError: queue.lastError, retryable: queue.retryable, attempts: queue.attempts, updatedAt: queue.updatedAt })
        .from(queue)
        .where(and(eq(queue.siteId, siteId), eq(queue.messageId, messageId), eq(queue.status, "error"), cursor === undefined ? undefined : sql`${queue.id} ${k.beyond} ${cursor}`))
        .orderBy(sql`${queue.id} ${k.nearest}`)
        .limit(take);
    },
    (r) => r.id,
  );
}

// PostgreSQL refuses NUL in text (22021): a search typed with control characters is searched
// without them, as no stored address or number holds one.
const withoutControl = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, "");

/**
 * For a template for one language's readers (`readers`), `having` each person (the rows grouped)
 * reads it, as the send decides (lib/newsletters/audience-language.ts newestLanguage): the language they
 * stated last among their subscriptions in the groups, `siteLocale` when none is stated. Nothing
 * for a template for everyone.
 */
export type PreviewReaders = { readers: string | null; siteLocale: string };
const readersHaving = (r?: PreviewReaders): SQL =>
  r?.readers ? sql`having ${newestLanguage(sql`subscriptions`, languageOf(r.siteLocale, sql`subscriptions`))} = ${r.readers}` : sql``;

/**
 * Confirmed subscribers of the groups whose address contains `q`, for "preview as" (those the
 * template reaches); `shown`: the address as people write it (ann@crème.fr), `email` as stored.
 */
export async function searchSubscribers(siteId: number, groupIds: number[], typed: string, limit = 10, readers?: PreviewReaders) {
  const q = withoutControl(typed);
  const groups = [...new Set(groupIds)];
  if (groups.length === 0) return [];
  const result = await db.execute(sql`
    select email, max(name) as name from subscriptions
     where site_id = ${siteId} and status = 'confirmed'
       and group_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(groups)}::jsonb))
       and email like ${`%${likeEscape(normalizeEmail(q))}%`}
     group by email ${readersHaving(readers)} order by email limit ${limit}`);
  return rows<{ email: string; name: string }>(result).map((r) => ({ email: r.email, shown: shownEmail(r.email), name: r.name ?? "" }));
}

/** One confirmed subscriber of the groups whom the template reaches, or null (a preview never shows anyone else). */
export async function findSubscriber(siteId: number, groupIds: number[], email: string, readers?: PreviewReaders) {
  const groups = [...new Set(groupIds)];
  if (groups.length === 0) return null;
  const result = await db.execute(sql`
    select email, max(name) as name from subscriptions
     where site_id = ${siteId} and status = 'confirmed' and email = ${normalizeEmail(email)}
       and group_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(groups)}::jsonb))
     group by email ${readersHaving(readers)}`);
  const [row] = rows<{ email: string; name: string | null }>(result);
  return row ? { email: row.email, name: row.name ?? "" } : null;
}

/**
 * "Preview as" for an SMS template: confirmed subscribers of the groups who gave a number, by
 * part of their address or of their number, one entry per number (as the send dedupes them), with
 * an address of theirs as people write it (shown beside the number).
 */
export async function searchPhoneSubscribers(siteId: number, groupIds: number[], typed: string, limit = 10, country = DEFAULT_COUNTRY, readers?: PreviewReaders) {
  const q = withoutControl(typed);
  const groups = [...new Set(groupIds)];
  const digits = q.replace(/\D/g, "");
  // "06 12" typed as people write their numbers: the start of +33612… in the site's country.
  const start = isPhoneLike(q) ? numberPrefix(q, country) : null;
  if (groups.length === 0) return [];
  const result = await db.execute(sql`
    select phone, max(name) as name, min(email) as email from subscriptions
     where site_id = ${siteId} and status = 'confirmed' and phone is not null
       and group_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(groups)}::jsonb))
       and (email like ${`%${likeEscape(normalizeEmail(q))}%`} ${digits.length >= 2 ? sql`or phone like ${`%${digits}%`}` : sql``}
            ${start ? sql`or phone like ${`${likeEscape(start)}%`}` : sql``})
     group by phone ${readersHaving(readers)} order by phone limit ${limit}`);
  return rows<{ phone: string; name: string | null; email: string }>(result).map((r) => ({ phone: r.phone, label: formatPhone(r.phone), name: r.name ?? "", email: shownEmail(r.email) }));
}

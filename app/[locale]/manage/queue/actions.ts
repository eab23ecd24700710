"use server";
import { and, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { queue, type Site } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { action } from "@/lib/actions/action";
import { requiredPhoneInput } from "@/lib/actions/phone-input";
import { bigIdSchema } from "@/lib/ids";
import type { Actor } from "@/lib/auth/roles";
import { parseQueueFilters } from "@/lib/queue/filters";
import { scopeSiteId } from "@/lib/sites/scope";
import { countChangeable, queueWhere } from "@/lib/queue/list";
import { cancel, requeue, resendErrors, startSendRun } from "@/lib/queue/operate";
import { queueDueSends } from "@/lib/newsletters/send";
import { sendTestSms } from "@/lib/sms/send-test";
import { SMS_TEXT_MAX } from "@/lib/sms/segments";
import { pendingTiming, queueStats } from "@/lib/queue/stats";

/** The screen's filters travel as its query string; the same parser as the page reads them. */
const filter = z.string().max(4000).default("");
const ids = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(bigIdSchema).max(1000),
);
const op = z.enum(["pending", "cancel"]);

function scopeOf(filterQuery: string, actor: Actor, site: Site) {
  const { filters } = parseQueueFilters(new URLSearchParams(filterQuery));
  return { filters, siteId: scopeSiteId(actor, site.id, filters.site) };
}

/** Rows of a selection (always within the caller's scope) or every row matching the filter. */
async function targetWhere(input: { target: "ids" | "filter"; ids: number[]; filter: string }, actor: Actor, site: Site) {
  const { filters, siteId } = scopeOf(input.filter, actor, site);
  if (input.target === "filter") return { siteId, where: await queueWhere({ ...filters, after: undefined }, siteId, site.timeZone) };
  const scope: SQL | null = await queueWhere({}, siteId);
  return { siteId, where: and(scope!, inArray(queue.id, input.ids))! };
}

const bulkSchema = z
  .object({ op, target: z.enum(["ids", "filter"]), ids, filter })
  .refine((v) => v.target === "filter" || v.ids.length > 0, { path: ["ids"], message: "errors.selectMessages" });

/** How many rows a bulk change would touch: shown in the confirmation before acting. */
export const countQueueAction = action({ schema: bulkSchema, role: "admin" }, async (input, { actor, site }) => {
  const { where } = await targetWhere(input, actor, site);
  return { count: await countChangeable(where, input.op) };
});

/** Back to pending, or cancel: one row, a selection, or every row matching the filter. */
export const changeQueueAction = action({ schema: bulkSchema, role: "admin", refresh: true }, async (input, { actor, site }) => {
  const { where, siteId } = await targetWhere(input, actor, site);
  if (where === null) return { count: 0 };
  const by = `user:${actor.id}`;
  return { count: input.op === "pending" ? await requeue(where, by, siteId) : await cancel(where, by) };
});

/** "Send pending messages" and "Resend messages in error": start a run and return at once. */
export const startQueueRunAction = action(
  { schema: z.object({ kind: z.enum(["send", "resend"]), filter }), role: "admin", refresh: true },
  async ({ kind, filter: query }, { actor, site }) => {
    const { siteId } = scopeOf(query, actor, site);
    if (kind === "resend") return { kind, requeued: await resendErrors(siteId, `user:${actor.id}`), pending: null, waitsUntil: null };
    // Scheduled newsletters whose time has come join the queue first, as the scheduler would do:
    // with cron (QUEUE_SCHEDULER=off), between two runs of `npm run queue`, this is how to send them now.
    await queueDueSends(siteId);
    // Read from the per-status counts table: as cheap at a million rows as at ten. Rows still
    // `sending` also start a run: its first step recovers those a crashed runner left behind.
    const { pending, sending } = (await queueStats(siteId)).counts;
    // Pending rows may all be waiting for their SMS sending hours: then a run would find nothing.
    const timing = pending > 0 && sending === 0 ? await pendingTiming(siteId) : { due: true, waitsUntil: null };
    if (sending > 0 || (pending > 0 && timing.due)) startSendRun(siteId);
    return { kind, requeued: 0, pending: pending + sending, waitsUntil: timing.waitsUntil?.toISOString() ?? null };
  },
);

/**
 * "Send a test SMS": queued for the caller's site, like any SMS (lib/sms/send-test.ts). The number
 * is read with the text (requiredPhoneInput), so an invalid number and an empty text are both
 * said in one answer.
 */
export const sendTestSmsAction = action(
  { schema: (site: Site, locale: Locale) => z.object({ to: requiredPhoneInput(site, locale), text: z.string().trim().min(1).max(SMS_TEXT_MAX) }), role: "admin", refresh: true },
  async ({ to, text }, { actor, site, locale }) => sendTestSms(site, { to, text, by: `user:${actor.id}` }, locale),
);

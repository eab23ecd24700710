import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriberKeys, subscriptions, type Site } from "@/db/schema";
import { hit } from "@/lib/auth/rate-limit";
import type { Locale } from "@/lib/i18n/config";
import { siteTexts, type SiteTexts } from "@/lib/i18n/resolve";
import { enqueue } from "@/lib/queue/enqueue";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import { liftErasure } from "./erase";
import { listGroups } from "./groups";

export const CONFIRM_TTL_DAYS = 7;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export type SignupInput = { email: string; groupIds: number[]; locale: Locale; ip: string; userAgent: string; consentText: string };

/**
 * "Receive our news": records the consent and, for every group not already confirmed, emails a
 * double opt-in link through the queue, in the visitor's language. No status changes here: a
 * confirmed subscriber stays confirmed, and someone who unsubscribed stays unsubscribed until
 * they click the link (confirmSubscription), since anyone can type an address into the form.
 * The caller answers identically whatever happened here. Confirmation emails to one
 * address are capped (3 per 10 minutes) so the form cannot be used to flood someone.
 */
export async function signup(site: Site, input: SignupInput, known?: SiteTexts): Promise<void> {
  const texts = known ?? (await siteTexts(site));
  const groups = new Set((await listGroups(site, input.locale, texts.overrides)).map((g) => g.id));
  // Sorted: concurrent signups of one address then lock its rows in the same order (no deadlock).
  const groupIds = [...new Set(input.groupIds)].filter((id) => groups.has(id)).sort((a, b) => a - b);
  if (groupIds.length === 0) return;
  // Whether an email goes out is settled before anything is written: a signup past the cap must
  // leave the stored link alone, or the link the person already holds would die with a token no
  // email carries (and anyone could cancel a pending confirmation by submitting the address a few
  // times). Only a signup that asks for a group not yet confirmed counts toward the cap.
  const confirmed = await db
    .select({ groupId: subscriptions.groupId })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, input.email), eq(subscriptions.status, "confirmed"), inArray(subscriptions.groupId, groupIds)));
  const send = confirmed.length < groupIds.length && (await hit(`signup:mail:${site.id}:${input.email}`, 600)) <= 3;
  const token = randomBytes(32).toString("base64url");
  // One raw statement (not the query builder): it runs on every signup, and building the
  // builder's version of this upsert cost more CPU than PostgreSQL spends executing it.
  // A confirmed subscription is left exactly as it was; any other keeps its status and gets this
  // new consent and this new link when an email carries them. The status is not in the update:
  // an unsubscribed one lifted here would let an administrator re-confirm it, or a pasted list
  // reach it, on the word of whoever typed the address.
  // Past the cap, an existing row keeps everything its link was sent with: the consent it records
  // must be that of the request whose email the person clicks, not of a later one never mailed.
  const keep = (column: string) => (send ? sql.raw(`case when s.status = 'confirmed' then s.${column} else excluded.${column} end`) : sql.raw(`s.${column}`));
  const pending = rows<{ status: string }>(
    await db.execute(sql`
      insert into ${subscriptions} as s (site_id, group_id, email, locale, source, consent_at, consent_ip, consent_user_agent, consent_text, confirm_token_hash, confirm_sent_at)
      select ${site.id}, g::int, ${input.email}, ${input.locale}, 'signup', now(), ${input.ip}, ${input.userAgent.slice(0, 500)}, ${input.consentText}, ${send ? sha256(token) : null}::text, ${send ? sql`now()` : sql`null::timestamptz`}
      from unnest(string_to_array(${groupIds.join(",")}, ',')) g
      on conflict (site_id, group_id, email) do update set
        locale = ${keep("locale")}, consent_at = ${keep("consent_at")}, consent_ip = ${keep("consent_ip")},
        consent_user_agent = ${keep("consent_user_agent")}, consent_text = ${keep("consent_text")},
        confirm_token_hash = ${keep("confirm_token_hash")}, confirm_sent_at = ${keep("confirm_sent_at")}, updated_at = now()
      returning s.status`),
  );
  if (!send || !pending.some((p) => p.status !== "confirmed")) return;

  const t = texts.t(input.locale);
  const url = `${siteBaseUrl(site)}/${input.locale}/newsletter/confirm?token=${token}`;
  const values = { site: site.name, url, days: CONFIRM_TTL_DAYS };
  await enqueue({
    siteId: site.id,
    message: {
      kind: "subscription_confirm",
      // The queue screen lists subjects: the confirmation link stays in the body only.
      subject: t("emails.signupConfirm.subject", { ...values, url: "" }),
      text: t("emails.signupConfirm.text", values),
      html: null,
      ...siteSender(site),
    },
    recipients: [{ address: input.email, locale: input.locale }],
  });
}

/**
 * The subscriptions a confirmation link stands for on a site (or any site): those that carry it
 * and are not confirmed yet, unsubscribed ones included, while it is valid. Leaving a group
 * clears its link (lib/newsletters/unsubscribe.ts): an unsubscribed row carries one only when a
 * signup came after.
 */
function carrying(token: string, siteId?: number) {
  const cutoff = new Date(Date.now() - CONFIRM_TTL_DAYS * 86_400_000);
  return and(
    siteId === undefined ? undefined : eq(subscriptions.siteId, siteId),
    eq(subscriptions.confirmTokenHash, sha256(token)),
    ne(subscriptions.status, "confirmed"),
    gt(subscriptions.confirmSentAt, cutoff),
  );
}

/**
 * What a confirmation link would confirm on a site, without confirming it: the page the link
 * opens shows this and a button, since mail scanners and link previews open links too.
 */
export async function pendingConfirmation(siteId: number, token: string): Promise<{ email: string; groupIds: number[] } | null> {
  const found = await db
    .select({ email: subscriptions.email, groupId: subscriptions.groupId })
    .from(subscriptions)
    .where(carrying(token, siteId))
    .orderBy(subscriptions.groupId);
  return found.length ? { email: found[0].email, groupIds: found.map((f) => f.groupId) } : null;
}

/**
 * The double opt-in, once the person presses the button of the link's page: confirms the
 * subscriptions the link was sent for (once, within its validity), unsubscribed ones included,
 * and lifts a previous "never again" and an erasure (lib/newsletters/erase.ts), since the
 * person has just asked again. `siteId`: only on
 * that site (the site whose address the page was opened on).
 */
export async function confirmSubscription(token: string, siteId?: number): Promise<{ siteId: number; email: string; groupIds: number[] } | null> {
  const confirmed = await db
    .update(subscriptions)
    .set({ status: "confirmed", confirmedAt: new Date(), confirmTokenHash: null, unsubscribedAt: null, updatedAt: new Date() })
    .where(carrying(token, siteId))
    .returning({ siteId: subscriptions.siteId, email: subscriptions.email, groupId: subscriptions.groupId });
  if (confirmed.length === 0) return null;
  const { siteId: owner, email } = confirmed[0];
  await db
    .update(subscriberKeys)
    .set({ suppressedAt: null })
    .where(and(eq(subscriberKeys.siteId, owner), eq(subscriberKeys.email, email)));
  await liftErasure(owner, email);
  return { siteId: owner, email, groupIds: confirmed.map((c) => c.groupId).sort((a, b) => a - b) };
}

export const confirmTokenHash = sha256;

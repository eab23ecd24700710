import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { signupConfirmations, subscriberKeys, subscriptions, type SignupConfirmation, type Site } from "@/db/schema";
import { hit } from "@/lib/auth/rate-limit";
import type { Locale } from "@/lib/i18n/config";
import { siteTexts, type SiteTexts } from "@/lib/i18n/resolve";
import { AUTOMATIC_HEADERS } from "@/lib/mail/automatic";
import { plainTextToHtml } from "@/lib/mail/plain-html";
import { enqueue } from "@/lib/queue/enqueue";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import { liftErasure } from "./erase";
import { fileGroupIds, heldLabels, holdGroups } from "./group-numbers";
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
  const labels = new Map((await listGroups(site, input.locale, texts.overrides)).map((g) => [g.id, g.label]));
  const groups = new Set(labels.keys());
  // Sorted: concurrent signups of one address then lock its rows in the same order (no deadlock).
  const groupIds = [...new Set(input.groupIds)].filter((id) => groups.has(id)).sort((a, b) => a - b);
  if (groupIds.length === 0) return;
  // Only a signup that asks for a group not yet confirmed counts toward the cap.
  const confirmed = await db
    .select({ groupId: subscriptions.groupId })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, input.email), eq(subscriptions.status, "confirmed"), inArray(subscriptions.groupId, groupIds)));
  const send = confirmed.length < groupIds.length && (await hit(`signup:mail:${site.id}:${input.email}`, 600)) <= 3;
  // One raw statement (not the query builder): it runs on every signup, and building the
  // builder's version of this upsert cost more CPU than PostgreSQL spends executing it.
  // An existing subscription is left as it was: its status above all (an unsubscribed one lifted
  // here would let an administrator re-confirm it, or a pasted list reach it, on the word of
  // whoever typed the address), and its consent record, which only a confirmation replaces;
  // its language too, and when it was stated (locale_set_at, which decides the person's language:
  // newestLanguage in audience-language.ts): only the confirmation states the signup's language.
  // Only into groups still there when it writes, holding their labels meanwhile (heldLabels): a
  // group deleted since listGroups read it gets no one.
  const found = rows<{ group_id: number | string; status: string }>(
    await db.execute(sql`
      with held as (${heldLabels(site.id, groupIds)})
      insert into ${subscriptions} as s (site_id, group_id, email, locale, locale_set_at, source, consent_at, consent_ip, consent_user_agent, consent_text)
      select ${site.id}, g::int, ${input.email}, ${input.locale}, now(), 'signup', now(), ${input.ip}, ${input.userAgent.slice(0, 500)}, ${input.consentText}
      from unnest(string_to_array(${groupIds.join(",")}, ',')) g
      where 'signup_opt' || g in (select key from held) or g::int = any(string_to_array(${fileGroupIds().join(",")}, ',')::int[])
      on conflict (site_id, group_id, email) do update set updated_at = s.updated_at
      returning s.group_id, s.status`),
  );
  const waiting = found.filter((f) => f.status !== "confirmed").map((f) => Number(f.group_id)).sort((a, b) => a - b);
  // Past the cap, no new link: the ones already mailed keep working (each is its own ticket).
  if (!send || waiting.length === 0) return;
  const token = randomBytes(32).toString("base64url");
  await db.insert(signupConfirmations).values({
    tokenHash: sha256(token),
    siteId: site.id,
    email: input.email,
    groupIds: waiting,
    locale: input.locale,
    consentIp: input.ip,
    consentUserAgent: input.userAgent.slice(0, 500),
    consentText: input.consentText,
  });

  const t = texts.t(input.locale);
  const url = `${siteBaseUrl(site)}/${input.locale}/newsletter/confirm?token=${token}`;
  // The email names what the person is confirming, as the page its link opens does.
  const named = new Intl.ListFormat(input.locale, { type: "conjunction" }).format(waiting.map((id) => labels.get(id) ?? String(id)));
  const values = { site: site.name, url, days: CONFIRM_TTL_DAYS, groups: named };
  const text = t("emails.signupConfirm.text", values);
  await enqueue({
    siteId: site.id,
    message: {
      kind: "subscription_confirm",
      // The queue screen lists subjects: the confirmation link stays in the body only.
      subject: t("emails.signupConfirm.subject", { ...values, url: "" }),
      text,
      html: plainTextToHtml(text, input.locale),
      headers: AUTOMATIC_HEADERS,
      ...siteSender(site),
    },
    recipients: [{ address: input.email, locale: input.locale }],
  });
}

/** The oldest sending time of a link still valid. */
const linksSentSince = () => new Date(Date.now() - CONFIRM_TTL_DAYS * 86_400_000);

/** The ticket of a confirmation link on a site (or any site), while it is valid. */
function validTicket(token: string, siteId: number | undefined, tx: Pick<typeof db, "select"> = db) {
  return tx
    .select()
    .from(signupConfirmations)
    .where(and(eq(signupConfirmations.tokenHash, sha256(token)), siteId === undefined ? undefined : eq(signupConfirmations.siteId, siteId), gt(signupConfirmations.sentAt, linksSentSince())))
    .limit(1);
}

/**
 * The subscriptions a ticket stands for: those of its groups not confirmed yet, unsubscribed
 * ones included (the person asked again after leaving). A group left after the link was mailed
 * is no longer in the ticket (lib/newsletters/unsubscribe.ts). `existing`: those of the ticket's
 * groups that still exist (holdGroups): a group deleted since the link was mailed may still hold
 * the person's unsubscription (a group whose members all left can be deleted), which the link
 * must not turn into a subscription to a group no screen shows.
 */
const carrying = (ticket: SignupConfirmation, existing: Set<number>) =>
  and(
    eq(subscriptions.siteId, ticket.siteId),
    eq(subscriptions.email, ticket.email),
    inArray(subscriptions.groupId, existing.size ? [...existing] : [-1]),
    ne(subscriptions.status, "confirmed"),
  );

/**
 * What a confirmation link would confirm on a site, without confirming it: the page the link
 * opens shows this and a button, since mail scanners and link previews open links too.
 */
export async function pendingConfirmation(siteId: number, token: string): Promise<{ email: string; groupIds: number[] } | null> {
  const [ticket] = await validTicket(token, siteId);
  if (!ticket) return null;
  const existing = await holdGroups(ticket.siteId, ticket.groupIds, db);
  const found = await db.select({ groupId: subscriptions.groupId }).from(subscriptions).where(carrying(ticket, existing)).orderBy(subscriptions.groupId);
  return found.length ? { email: ticket.email, groupIds: found.map((f) => f.groupId) } : null;
}

/**
 * The double opt-in, once the person presses the button of the link's page: confirms the
 * subscriptions the link was sent for (once, within its validity), unsubscribed ones included,
 * with the consent and language of the signup that mailed this link, and lifts a previous
 * "never again" and an erasure (lib/newsletters/erase.ts), since the person has just asked
 * again. Any other link the person holds still confirms what it alone was sent for.
 * `siteId`: only on that site (the site whose address the page was opened on).
 */
export async function confirmSubscription(token: string, siteId?: number): Promise<{ siteId: number; email: string; groupIds: number[] } | null> {
  return db.transaction(async (tx) => {
    // Locked, then deleted once used: of two presses at once, the second finds no ticket.
    const [ticket] = await validTicket(token, siteId, tx).for("update");
    if (!ticket) return null;
    await tx.delete(signupConfirmations).where(eq(signupConfirmations.tokenHash, ticket.tokenHash));
    // Held until this commits: a deletion of one of them waits, or has committed and is seen.
    const existing = await holdGroups(ticket.siteId, ticket.groupIds, tx);
    const now = new Date();
    const confirmed = await tx
      .update(subscriptions)
      .set({
        status: "confirmed",
        confirmedAt: now,
        unsubscribedAt: null,
        locale: ticket.locale,
        localeSetAt: now,
        consentAt: ticket.consentAt,
        consentIp: ticket.consentIp,
        consentUserAgent: ticket.consentUserAgent,
        consentText: ticket.consentText,
        updatedAt: now,
      })
      .where(carrying(ticket, existing))
      .returning({ groupId: subscriptions.groupId });
    if (confirmed.length === 0) return null;
    await tx.update(subscriberKeys).set({ suppressedAt: null }).where(and(eq(subscriberKeys.siteId, ticket.siteId), eq(subscriberKeys.email, ticket.email)));
    await liftErasure(ticket.siteId, ticket.email, tx);
    return { siteId: ticket.siteId, email: ticket.email, groupIds: confirmed.map((c) => c.groupId).sort((a, b) => a - b) };
  });
}

/** Links past their validity confirm nothing: forgotten (they hold an address and a consent record). */
export async function purgeExpiredSignupLinks(): Promise<number> {
  return (await db.delete(signupConfirmations).where(lte(signupConfirmations.sentAt, linksSentSince())).returning({ h: signupConfirmations.tokenHash })).length;
}

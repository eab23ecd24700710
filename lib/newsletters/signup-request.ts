import { z } from "zod";
import type { Site } from "@/db/schema";
import { fieldErrors, unstorableFields, type Msg } from "@/lib/actions/errors";
import { echoValues } from "@/lib/actions/form-data";
import { hit } from "@/lib/auth/rate-limit";
import { isLocale, locales, type Locale } from "@/lib/i18n/config";
import { siteTexts, type SiteTexts } from "@/lib/i18n/resolve";
import { isEmail, normalizeEmail } from "./addresses";
import { listGroups } from "./groups";
import { signup } from "./signup";

/**
 * One "Receive our news" request, whether it comes from the home page's server action or from
 * POST /api/newsletter/subscribe: the same schema, honeypot, rate limit and signup, so the two
 * doors answer alike.
 */

/** The field bots fill and people never see (visually hidden, aria-hidden, out of the tab order). */
export const HONEYPOT_FIELD = "website";
/** Signups per IP and window: a person never gets near it, a script hammering the form does. */
export const SIGNUP_MAX_PER_IP = 10;
export const SIGNUP_WINDOW_SECONDS = 600;

const MAX_GROUP_ID = 999_999_999;

function toGroupIds(value: unknown): number[] {
  const list = value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value];
  const ids = new Set<number>();
  for (const v of list.slice(0, 100)) {
    const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d{1,9}\s*$/.test(v) ? Number(v) : NaN;
    if (Number.isInteger(n) && n > 0 && n <= MAX_GROUP_ID) ids.add(n);
  }
  return [...ids].sort((a, b) => a - b);
}

const filled = (v: unknown) => (typeof v === "string" ? v.trim() !== "" : v !== undefined && v !== null && v !== false);

/**
 * Every field is accepted as anything first, so a filled honeypot always wins (a bot learns
 * nothing from field errors); then the email and the groups are checked together, so a person
 * sees both errors at once.
 */
export const signupSchema = z
  .object({ email: z.unknown().optional(), groups: z.unknown().optional(), locale: z.unknown().optional(), [HONEYPOT_FIELD]: z.unknown().optional() })
  .superRefine((v, ctx) => {
    if (filled(v[HONEYPOT_FIELD])) return;
    const email = typeof v.email === "string" ? normalizeEmail(v.email) : "";
    if (!isEmail(email)) ctx.addIssue({ code: "custom", path: ["email"], message: email ? "errors.email" : "errors.required" });
    if (toGroupIds(v.groups).length === 0) ctx.addIssue({ code: "custom", path: ["groups"], message: "errors.chooseGroup" });
  })
  .transform((v) => ({
    trap: filled(v[HONEYPOT_FIELD]),
    email: typeof v.email === "string" ? normalizeEmail(v.email) : "",
    groupIds: toGroupIds(v.groups),
    locale: isLocale(v.locale) ? v.locale : undefined,
  }));

export type SignupRequest = z.output<typeof signupSchema>;
export type SignupMeta = { ip: string; userAgent: string };
export type SignupOutcome = { status: "accepted" } | { status: "rate_limited" } | { status: "invalid"; field: string; msg: Msg };

export const signupLocale = (site: Pick<Site, "defaultLocale">, requested?: Locale): Locale =>
  requested ?? (isLocale(site.defaultLocale) ? site.defaultLocale : locales[0]);

/** The consent sentence as the form shows it; the very text stored with each subscription. */
export const consentText = async (site: Site, locale: Locale) => consentFrom(await siteTexts(site), site, locale);
const consentFrom = (texts: SiteTexts, site: Site, locale: Locale) => texts.t(locale)("newsletter.consent", { site: site.name });

/** What the route does before acceptSignup, and what the action wrapper does for a form. */
export function parseSignupInput(raw: unknown): { ok: true; data: SignupRequest } | { ok: false; fieldErrors: Record<string, Msg>; values: Record<string, string> } {
  const unstorable = unstorableFields(raw);
  if (unstorable) return { ok: false, fieldErrors: unstorable, values: echoValues(raw) };
  const parsed = signupSchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error), values: echoValues(raw) };
  return { ok: true, data: parsed.data };
}

/**
 * The answer is "accepted" whether the address was new, waiting for its confirmation or already
 * confirmed, and for a filled honeypot (which stores nothing, not even a rate-limit count).
 * Only an over-limit IP is told something else, and that says nothing about any address.
 */
export async function acceptSignup(site: Site, request: SignupRequest, meta: SignupMeta): Promise<SignupOutcome> {
  if (request.trap) return { status: "accepted" };
  const locale = signupLocale(site, request.locale);
  const texts = await siteTexts(site);
  const known = new Set((await listGroups(site, locale, texts.overrides)).map((g) => g.id));
  const groupIds = request.groupIds.filter((id) => known.has(id));
  if (groupIds.length === 0) return { status: "invalid", field: "groups", msg: { key: "errors.chooseGroup" } };
  if ((await hit(`newsletter:signup:ip:${meta.ip}`, SIGNUP_WINDOW_SECONDS)) > SIGNUP_MAX_PER_IP) return { status: "rate_limited" };
  await signup(
    site,
    { email: request.email, groupIds, locale, ip: meta.ip, userAgent: meta.userAgent, consentText: consentFrom(texts, site, locale) },
    texts,
  );
  return { status: "accepted" };
}

export type SignupSection = { groups: { id: number; label: string }[]; preselected: number[]; consent: string };

/**
 * What the home page's "Receive our news" shows in a locale, or null when the site has no
 * subscriber group (the section is then left out). A single group comes preselected.
 */
export async function signupSection(site: Site, locale: Locale): Promise<SignupSection | null> {
  const texts = await siteTexts(site);
  const groups = await listGroups(site, locale, texts.overrides);
  if (groups.length === 0) return null;
  return {
    groups: groups.map((g) => ({ id: g.id, label: g.label })),
    preselected: groups.length === 1 ? [groups[0].id] : [],
    consent: consentFrom(texts, site, locale),
  };
}

import { beforeAll, describe, expect, it, vi } from "vitest";
import { createElement, isValidElement, type ComponentProps, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, rateLimits, signupConfirmations, subscriptions, type Site } from "@/db/schema";
import HomePage from "@/app/[locale]/(public)/page";
import ConfirmPage from "@/app/[locale]/(public)/newsletter/confirm/page";
import { confirmSubscriptionAction } from "@/app/[locale]/(public)/newsletter/confirm/actions";
import { ConfirmSubscriptionForm } from "@/app/[locale]/(public)/newsletter/confirm/confirm-form";
import { subscribeAction } from "@/app/[locale]/(public)/newsletter/actions";
import { addTranslationKeyAction } from "@/app/[locale]/manage/i18n/actions";
import { POST } from "@/app/api/newsletter/subscribe/route";
import { NewsletterSignup } from "@/components/newsletter/signup-section";
import { SignupForm } from "@/components/newsletter/signup-form";
import type { Locale } from "@/lib/i18n/config";
import { messagesFor, translate } from "@/lib/i18n/resolve";
import { setOverride } from "@/lib/i18n/overrides";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { confirmSubscription, pendingConfirmation, purgeExpiredSignupLinks } from "@/lib/newsletters/signup";
import { unsubscribeAll, unsubscribeGroup } from "@/lib/newsletters/unsubscribe";
import { consentText, SIGNUP_MAX_PER_IP } from "@/lib/newsletters/signup-request";
import { actAs, fakeRequest } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

// Server components read translations through next-intl/server, which needs Next's request
// config; here it is the same merge of files and overrides, for the locale the test picks.
const intl = vi.hoisted(() => ({ locale: "fr" as "fr" | "en" }));
vi.mock("next-intl/server", async () => {
  const { currentSite } = await import("@/lib/sites/current");
  const { messagesFor, translatorFor } = await import("@/lib/i18n/resolve");
  return {
    getLocale: async () => intl.locale,
    getTranslations: async (namespace?: string) => {
      const t = translatorFor(intl.locale, await messagesFor(intl.locale, await currentSite()));
      return (key: string, values?: Record<string, string | number>) => t(namespace ? `${namespace}.${key}` : key, values);
    },
  };
});

let site: Site;
let ipCounter = 0;
/** A fresh client IP, so the per-IP limit of one test never leaks into another. */
const freshIp = () => `198.51.100.${++ipCounter}`;

beforeAll(async () => {
  site = await makeSite({ domain: "news.example.org", name: "Chora News" });
  await setOverride(site.id, "fr", "signup_opt1", "Actualités");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await setOverride(site.id, "fr", "signup_opt2", "Offres");
  await setOverride(site.id, "en", "signup_opt2", "Offers");
  actAs(null, site.domain);
});

function form(fields: Record<string, string | string[]>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  return fd;
}
const viaAction = (fields: Record<string, string | string[]>, ip: string) => {
  fakeRequest.ip = ip;
  return run(subscribeAction, form({ locale: "en", website: "", ...fields }));
};
function viaRoute(body: string | FormData, ip: string, type: string | null = "application/json", host = site.domain) {
  const headers: Record<string, string> = { host, "x-forwarded-for": ip, "user-agent": "Mozilla/5.0 (test)" };
  if (type) headers["content-type"] = type;
  return POST(new Request("http://localhost/api/newsletter/subscribe", { method: "POST", headers, body }));
}
/** Everything a client sees of an answer. */
const seen = async (res: Response) => ({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() });
const json = (email: string, groups: unknown = [1, 2], extra: Record<string, unknown> = {}) => JSON.stringify({ email, groups, locale: "en", ...extra });

const subsOf = (email: string) =>
  db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, email))).orderBy(subscriptions.groupId);
async function confirmMailsTo(email: string) {
  return db
    .select({ subject: outboundMessages.subject, text: outboundMessages.text, locale: queue.locale })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .where(and(eq(queue.recipient, email), eq(outboundMessages.kind, "subscription_confirm")))
    .orderBy(queue.id);
}
/** The confirmation links mailed to an address and not used yet, oldest first. */
const linksTo = (email: string) => db.select().from(signupConfirmations).where(and(eq(signupConfirmations.siteId, site.id), eq(signupConfirmations.email, email))).orderBy(signupConfirmations.sentAt);
const tokenIn = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1];
async function confirmLatest(email: string) {
  const mails = await confirmMailsTo(email);
  expect(await confirmSubscription(tokenIn(mails[mails.length - 1].text))).not.toBeNull();
}

describe("signup: same answer for everyone, honeypot and bursts", () => {
  it("The signup rejects honeypot fills and bursts, and answers identically for new and existing addresses", async () => {
    // Three states of an address: never seen, signed up but not confirmed, confirmed.
    const ip = freshIp();
    expectSuccess(await viaAction({ email: "pending@example.org", groups: ["1", "2"] }, ip));
    expectSuccess(await viaAction({ email: "known@example.org", groups: ["1", "2"] }, ip));
    await confirmLatest("known@example.org");

    const ip2 = freshIp();
    const fresh = await viaAction({ email: "Fresh@Example.org", groups: ["1", "2"] }, ip2);
    const pending = await viaAction({ email: "pending@example.org", groups: ["1", "2"] }, ip2);
    const known = await viaAction({ email: "known@example.org", groups: ["1", "2"] }, ip2);
    expectSuccess(fresh);
    expect(pending).toEqual(fresh);
    expect(known).toEqual(fresh);

    const ip3 = freshIp();
    const routeFresh = await seen(await viaRoute(json("fresh-api@example.org"), ip3));
    expect(routeFresh.status).toBe(200);
    expect(JSON.parse(routeFresh.body)).toEqual({ ok: true });
    expect(await seen(await viaRoute(json("pending@example.org"), ip3))).toEqual(routeFresh);
    expect(await seen(await viaRoute(json("known@example.org"), ip3))).toEqual(routeFresh);

    // A confirmed subscriber who signs up again stays confirmed; the others wait for their link.
    expect((await subsOf("known@example.org")).map((s) => s.status)).toEqual(["confirmed", "confirmed"]);
    expect((await subsOf("fresh@example.org")).map((s) => s.status)).toEqual(["unconfirmed", "unconfirmed"]);
    expect((await subsOf("fresh-api@example.org")).map((s) => s.status)).toEqual(["unconfirmed", "unconfirmed"]);

    // Honeypot: the very same answer, and nothing stored (no subscription, no mail, no count).
    const bot = freshIp();
    const trapped = await viaAction({ email: "bot@example.org", groups: ["1"], website: "http://spam.example" }, bot);
    expect(trapped).toEqual(fresh);
    const trappedInvalid = await viaAction({ email: "not an address", website: "x" }, bot);
    expect(trappedInvalid).toEqual(fresh);
    expect(await seen(await viaRoute(json("bot-api@example.org", [1], { website: "spam" }), bot))).toEqual(routeFresh);
    expect(await seen(await viaRoute("email=bot-form%40example.org&groups=1&website=spam", bot, "application/x-www-form-urlencoded"))).toEqual(routeFresh);
    for (const email of ["bot@example.org", "bot-api@example.org", "bot-form@example.org"]) {
      expect(await subsOf(email)).toEqual([]);
      expect(await confirmMailsTo(email)).toEqual([]);
    }
    expect(await db.select().from(rateLimits).where(sql`${rateLimits.key} like ${`%${bot}`}`)).toEqual([]);

    // Bursts: past the per-IP limit the action and the route refuse, whoever the address is, and
    // store nothing more.
    const burst = freshIp();
    for (let i = 0; i < SIGNUP_MAX_PER_IP; i++) expectSuccess(await viaAction({ email: `burst${i}@example.org`, groups: ["1"] }, burst));
    const overNew = expectFailure(await viaAction({ email: "burst-new@example.org", groups: ["1"] }, burst), "errors.signupRateLimited");
    const overKnown = expectFailure(await viaAction({ email: "known@example.org", groups: ["1"] }, burst), "errors.signupRateLimited");
    expect(overNew.fieldErrors).toBeUndefined();
    expect({ ...overKnown, values: undefined }).toEqual({ ...overNew, values: undefined });
    expect(overNew.values?.email).toBe("burst-new@example.org"); // what the person typed stays in the form
    expect(await subsOf("burst-new@example.org")).toEqual([]);

    const apiBurst = freshIp();
    for (let i = 0; i < SIGNUP_MAX_PER_IP; i++) expect((await viaRoute(json(`api-burst${i}@example.org`), apiBurst)).status).toBe(200);
    const over = await seen(await viaRoute(json("api-burst-new@example.org"), apiBurst));
    expect(over.status).toBe(429);
    expect(over.headers["retry-after"]).toBe("600");
    expect(JSON.parse(over.body)).toEqual({
      ok: false,
      error: { key: "errors.signupRateLimited", message: await translate("errors.signupRateLimited", "en", site) },
      fieldErrors: {},
    });
    expect(await seen(await viaRoute(json("known@example.org"), apiBurst))).toEqual(over);
    expect(await subsOf("api-burst-new@example.org")).toEqual([]);

    // Another IP is not affected.
    expectSuccess(await viaAction({ email: "other-ip@example.org", groups: ["2"] }, freshIp()));
  });

  it("records the consent shown, the IP and the user agent, and emails the link in the visitor's language", async () => {
    const ip = freshIp();
    expect((await viaRoute(json("consent@example.org", ["2"]), ip)).status).toBe(200);
    const [sub] = await subsOf("consent@example.org");
    expect(sub).toMatchObject({ groupId: 2, status: "unconfirmed", locale: "en", source: "signup", consentIp: ip, consentUserAgent: "Mozilla/5.0 (test)" });
    expect(sub.consentText).toBe(await consentText(site, "en"));
    expect(sub.consentText).toContain("Chora News");
    expect(sub.consentAt).toBeInstanceOf(Date);

    expectSuccess(await viaAction({ email: "francais@example.org", groups: ["1"], locale: "fr" }, ip));
    const [fr] = await subsOf("francais@example.org");
    expect(fr.consentText).toBe(await consentText(site, "fr"));
    expect(fr.consentText).not.toBe(sub.consentText);

    const [enMail] = await confirmMailsTo("consent@example.org");
    const [frMail] = await confirmMailsTo("francais@example.org");
    expect(enMail).toMatchObject({ subject: "Chora News: confirm your subscription", locale: "en" });
    expect(frMail).toMatchObject({ subject: "Chora News\u202f: confirmez votre abonnement", locale: "fr" });
    expect(enMail.text).toContain("https://news.example.org/en/newsletter/confirm?token=");
    expect(frMail.text).toContain("https://news.example.org/fr/newsletter/confirm?token=");
  });

  it("an invalid address or no group gives translated field errors and keeps the address", async () => {
    const ip = freshIp();
    const both = expectFailure(await viaAction({ email: "not-an-address" }, ip), "errors.checkFields");
    expect(both.fieldErrors).toEqual({ email: { key: "errors.email" }, groups: { key: "errors.chooseGroup" } });
    expect(both.values?.email).toBe("not-an-address");
    const empty = expectFailure(await viaAction({ email: "  ", groups: ["1"] }, ip));
    expect(empty.fieldErrors).toEqual({ email: { key: "errors.required" } });
    const unknownGroup = expectFailure(await viaAction({ email: "someone@example.org", groups: ["99", "abc"] }, ip));
    expect(unknownGroup.fieldErrors).toEqual({ groups: { key: "errors.chooseGroup" } });
    expect(unknownGroup.values?.email).toBe("someone@example.org");
    expect(await subsOf("someone@example.org")).toEqual([]);

    const res = await viaRoute(JSON.stringify({ email: "nope", locale: "fr" }), ip);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error: { key: "errors.checkFields", message: "Veuillez corriger les champs signalés." },
      fieldErrors: {
        email: { key: "errors.email", message: "Saisissez une adresse email valide." },
        groups: { key: "errors.chooseGroup", message: "Choisissez au moins un abonnement." },
      },
    });
  });

  it("the route takes form posts (groups or groups[]) and JSON, and never answers 500 to a malformed body", async () => {
    const ip = freshIp();
    expect((await viaRoute("email=form%40example.org&groups=1&groups=2&locale=fr", ip, "application/x-www-form-urlencoded")).status).toBe(200);
    expect((await subsOf("form@example.org")).map((s) => [s.groupId, s.locale])).toEqual([[1, "fr"], [2, "fr"]]);
    expect((await viaRoute("email=php%40example.org&groups%5B%5D=2", ip, "application/x-www-form-urlencoded")).status).toBe(200);
    expect((await subsOf("php@example.org")).map((s) => [s.groupId, s.locale])).toEqual([[2, "fr"]]); // no locale: the site's
    expect((await viaRoute(form({ email: "multipart@example.org", groups: "1" }), ip, null)).status).toBe(200);
    expect((await viaRoute(JSON.stringify({ email: "plain@example.org", groups: "2" }), ip, "text/plain")).status).toBe(200);
    expect((await subsOf("multipart@example.org")).length + (await subsOf("plain@example.org")).length).toBe(2);

    const bad: [string | FormData, string | null][] = [
      ["{not json", "application/json"],
      ["[1,2,3]", "application/json"],
      ["null", "application/json"],
      ['"a string"', "application/json"],
      ["", "application/json"],
      ["", null],
      [JSON.stringify({ email: ["a@example.org"], groups: { a: 1 } }), "application/json"],
      [JSON.stringify({ email: 42, groups: [1e20, -1, null, "1; drop table"] }), "application/json"],
      [JSON.stringify({ email: "nul\u0000@example.org", groups: [1] }), "application/json"],
      [JSON.stringify({ email: `${"a".repeat(400)}@example.org`, groups: [1] }), "application/json"],
      [JSON.stringify({ email: "big@example.org", groups: [1], pad: "x".repeat(20_000) }), "application/json"],
      ["--x\r\nbroken multipart", "multipart/form-data; boundary=x"],
      ["%E0%A4%A", "application/x-www-form-urlencoded"],
    ];
    for (const [body, type] of bad) {
      const res = await viaRoute(body, ip, type);
      expect(res.status, `${type} ${String(body).slice(0, 40)}`).toBe(400);
      const answer = await res.json();
      expect(answer.ok).toBe(false);
      expect(answer.error.message).toBeTruthy();
    }
    expect((await viaRoute("x", ip, "application/json", "unknown-host.example")).status).toBe(400);
  });
});

/** Depth-first search of a rendered element tree (host elements and their children). */
function find(node: ReactNode, type: unknown): ReactElement<Record<string, unknown>> | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const hit = find(child, type);
      if (hit) return hit;
    }
    return null;
  }
  if (!isValidElement<Record<string, unknown>>(node)) return null;
  if (node.type === type) return node;
  return find(node.props.children as ReactNode, type);
}

/** The home page in a locale, as far as the signup: its section, rendered to HTML (null if absent). */
async function homeSignupHtml(locale: Locale) {
  intl.locale = locale;
  const home = await HomePage();
  const section = find(home, NewsletterSignup);
  expect(section, "the home page places the signup section").not.toBeNull();
  const rendered = (await NewsletterSignup(section!.props as Parameters<typeof NewsletterSignup>[0])) as ReactNode;
  if (!rendered) return null;
  const formEl = find(rendered, SignupForm)!;
  const messages = await messagesFor(locale, site);
  const html = renderToStaticMarkup(createElement(NextIntlClientProvider, { locale, messages, timeZone: "UTC" } as ComponentProps<typeof NextIntlClientProvider>, formEl));
  return { html, props: formEl.props as Parameters<typeof SignupForm>[0] };
}

describe("groups on the home page", () => {
  it("A key signup_opt7 added in the internationalisation screen makes group 7 appear in the signup, labelled per locale", async () => {
    const other = await makeSite({ domain: "groups.example.org" });
    const otherAdmin = await makeUser(other.id, "admin");
    actAs(null, other.domain);
    // No group defined: the section is not there at all.
    expect(await homeSignupHtml("fr")).toBeNull();
    expect(await homeSignupHtml("en")).toBeNull();

    actAs(otherAdmin.id, other.domain);
    expectSuccess(await run(addTranslationKeyAction, { key: "signup_opt7", fr: "Lettre mensuelle", en: "Monthly letter" }));
    actAs(null, other.domain);

    const fr = (await homeSignupHtml("fr"))!;
    const en = (await homeSignupHtml("en"))!;
    expect(fr.props.groups).toEqual([{ id: 7, label: "Lettre mensuelle" }]);
    expect(en.props.groups).toEqual([{ id: 7, label: "Monthly letter" }]);
    // A single group comes ticked.
    expect(fr.props.preselected).toEqual([7]);
    expect(fr.html).toMatch(/<input id="newsletter-group-7" type="checkbox"[^>]* name="groups" checked="" value="7"\/>/);
    expect(fr.html).toContain(">Lettre mensuelle</label>");
    expect(en.html).toContain(">Monthly letter</label>");
    expect(fr.html).not.toContain("Monthly letter");
    // The consent shown is the text stored; the honeypot is out of sight and out of reach.
    expect(fr.props.consent).toBe(await consentText(other, "fr"));
    expect(en.html).toContain(await consentText(other, "en"));
    const honeypot = /<div aria-hidden="true"[^>]*>(.*?)<\/div>/.exec(en.html)?.[1] ?? "";
    expect(honeypot).toMatch(/^<label for="newsletter-website">Leave this field empty<\/label><input id="newsletter-website" [^>]*\/>$/);
    expect(honeypot).toContain('tabindex="-1"');
    expect(honeypot).toContain('name="website"');
    expect(en.html).toContain(">Subscribe</button>");
    expect(fr.html).toContain(">M’abonner</button>");

    // A second group: nothing preselected any more; and people can sign up to group 7.
    actAs(otherAdmin.id, other.domain);
    expectSuccess(await run(addTranslationKeyAction, { key: "signup_opt8", fr: "Événements", en: "Events" }));
    actAs(null, other.domain);
    const two = (await homeSignupHtml("en"))!;
    expect(two.props.groups).toEqual([{ id: 7, label: "Monthly letter" }, { id: 8, label: "Events" }]);
    expect(two.props.preselected).toEqual([]);
    expect(two.html).not.toContain("checked");

    fakeRequest.ip = freshIp();
    expectSuccess(await run(subscribeAction, form({ email: "seven@example.org", groups: "7", locale: "en", website: "" })));
    const [sub] = await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, other.id), eq(subscriptions.email, "seven@example.org")));
    expect(sub).toMatchObject({ groupId: 7, status: "unconfirmed", consentText: await consentText(other, "en") });
    actAs(null, site.domain);
  });
});

/** The text a server component renders (host elements only). */
function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(" ");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return "";
}
/** The page a confirmation link opens: its text, and its form's props and HTML when it has one. */
async function confirmPage(token: string | undefined, locale: Locale = "en") {
  intl.locale = locale;
  const page = await ConfirmPage({ searchParams: Promise.resolve({ token }) });
  const form = find(page, ConfirmSubscriptionForm);
  if (!form) return { text: textOf(page), form: null, html: "" };
  const messages = await messagesFor(locale, site);
  const html = renderToStaticMarkup(createElement(NextIntlClientProvider, { locale, messages, timeZone: "UTC" } as ComponentProps<typeof NextIntlClientProvider>, form));
  return { text: textOf(page), form: form.props as Parameters<typeof ConfirmSubscriptionForm>[0], html };
}
/** The page's button: the only way a link confirms anything. */
const pressConfirm = (token: string) => run(confirmSubscriptionAction, { token });
const INVALID_LINK = "This confirmation link is not valid";

describe("confirmation link", () => {
  it("a signup past the per-address email cap sends nothing and leaves the link already sent working", async () => {
    actAs(null, site.domain);
    const email = "capped@example.org";
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await viaAction({ email, groups: ["1"] }, freshIp()));
    // Four answers alike (nothing tells the caller the cap was reached), three emails.
    expectSuccess(answers[0]);
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
    const mails = await confirmMailsTo(email);
    expect(mails).toHaveLength(3);
    const [before] = await subsOf(email);

    // More signups past the cap, one asking for another group too: still no email, same link.
    expectSuccess(await viaAction({ email, groups: ["1", "2"] }, freshIp()));
    expect(await confirmMailsTo(email)).toHaveLength(3);
    const [group1, group2] = await subsOf(email);
    expect(group1).toMatchObject({ status: "unconfirmed", consentIp: before.consentIp, consentAt: before.consentAt });
    expect(group2).toMatchObject({ status: "unconfirmed" });
    expect(await linksTo(email)).toHaveLength(3);

    // The link of the last email sent confirms what it was sent for, with the consent of the
    // request that mailed it, not of a capped one.
    const lastSent = (await linksTo(email))[2];
    expect(await confirmSubscription(tokenIn(mails[2].text))).toMatchObject({ email, groupIds: [1] });
    expect(await subsOf(email)).toMatchObject([
      { status: "confirmed", consentIp: lastSent.consentIp, consentAt: lastSent.consentAt },
      { status: "unconfirmed" },
    ]);
  });

  it("every link a person was mailed works: the first after a second signup, with the consent and language of its own request", async () => {
    actAs(null, site.domain);
    const email = "twice@example.org";
    const [firstIp, secondIp] = [freshIp(), freshIp()];
    expectSuccess(await viaAction({ email, groups: ["1"], locale: "fr" }, firstIp));
    expectSuccess(await viaAction({ email, groups: ["1", "2"], locale: "en" }, secondIp));
    const [first, second] = (await confirmMailsTo(email)).map((m) => tokenIn(m.text));
    expect(first).not.toBe(second);

    // The first email's link, clicked after the second email came: it confirms group 1, as
    // consented from the first request, in its language.
    expect(await confirmSubscription(first)).toMatchObject({ email, groupIds: [1] });
    expect(await subsOf(email)).toMatchObject([
      { groupId: 1, status: "confirmed", consentIp: firstIp, locale: "fr" },
      { groupId: 2, status: "unconfirmed" },
    ]);
    // The second still confirms what is left of what it was sent for.
    expect(await confirmSubscription(second)).toMatchObject({ email, groupIds: [2] });
    expect(await subsOf(email)).toMatchObject([
      { groupId: 1, status: "confirmed", consentIp: firstIp },
      { groupId: 2, status: "confirmed", consentIp: secondIp, locale: "en" },
    ]);
    expect(await confirmSubscription(first)).toBeNull();
    expect(await confirmSubscription(second)).toBeNull();
    expect(await linksTo(email)).toHaveLength(0);
  });

  it("a group left after the link was mailed is no longer in it; leaving everything kills every link", async () => {
    actAs(null, site.domain);
    const email = "changed-mind@example.org";
    expectSuccess(await viaAction({ email, groups: ["1", "2"] }, freshIp()));
    expectSuccess(await viaAction({ email, groups: ["2"] }, freshIp()));
    const [both, onlyTwo] = (await confirmMailsTo(email)).map((m) => tokenIn(m.text));
    const key = await unsubscribeToken(site.id, email);
    await unsubscribeGroup(key, 2);
    expect(await pendingConfirmation(site.id, both)).toEqual({ email, groupIds: [1] });
    expect(await pendingConfirmation(site.id, onlyTwo)).toBeNull();
    await unsubscribeAll(key);
    expect(await pendingConfirmation(site.id, both)).toBeNull();
    expect(await confirmSubscription(both)).toBeNull();
    expect((await subsOf(email)).map((s) => s.status)).toEqual(["unsubscribed", "unsubscribed"]);
  });

  it("expired links are forgotten by housekeeping; the others stay", async () => {
    actAs(null, site.domain);
    expectSuccess(await viaAction({ email: "old-link@example.org", groups: ["1"] }, freshIp()));
    expectSuccess(await viaAction({ email: "new-link@example.org", groups: ["1"] }, freshIp()));
    await db.update(signupConfirmations).set({ sentAt: sql`now() - interval '8 days'` }).where(eq(signupConfirmations.email, "old-link@example.org"));
    expect(await purgeExpiredSignupLinks()).toBeGreaterThanOrEqual(1);
    expect(await linksTo("old-link@example.org")).toHaveLength(0);
    expect(await linksTo("new-link@example.org")).toHaveLength(1);
  });

  it("opening the link changes nothing; its page's button confirms once, says so, and refuses an expired or unknown link", async () => {
    actAs(null, site.domain);
    const email = "confirm-me@example.org";
    expectSuccess(await viaAction({ email, groups: ["1", "2"] }, freshIp()));
    const token = tokenIn((await confirmMailsTo(email))[0].text);

    // Opened twice (the person, a mail scanner, a link preview): the page asks, nothing changes.
    await confirmPage(token);
    const opened = await confirmPage(token);
    expect(opened.form).toEqual({ token, site: "Chora News", groups: [{ id: 1, label: "News" }, { id: 2, label: "Offers" }] });
    expect(opened.html).toContain("These subscriptions to the news of Chora News are waiting for your confirmation:");
    expect(opened.html).toContain(`<input type="hidden" name="token" value="${token}"/>`);
    expect(opened.html).toMatch(/<button type="submit"[^>]*>Confirm my subscriptions<\/button>/);
    expect(opened.text).not.toContain(INVALID_LINK);
    expect((await subsOf(email)).map((s) => s.status)).toEqual(["unconfirmed", "unconfirmed"]);

    // Pressed: confirmed, once.
    expect(expectSuccess(await pressConfirm(token))).toMatchObject({ data: { groupIds: [1, 2] } });
    expect((await subsOf(email)).map((s) => s.status)).toEqual(["confirmed", "confirmed"]);
    const again = await confirmPage(token);
    expect(again.form).toBeNull();
    expect(again.text).toContain(INVALID_LINK);
    expectFailure(await pressConfirm(token), "errors.subscriptionLinkInvalid");

    // Only on the site it was sent for.
    expectSuccess(await viaAction({ email: "elsewhere@example.org", groups: ["1"] }, freshIp()));
    const elsewhere = tokenIn((await confirmMailsTo("elsewhere@example.org"))[0].text);
    const other = await makeSite({ domain: "other-news.example.org" });
    actAs(null, other.domain);
    expectFailure(await pressConfirm(elsewhere), "errors.subscriptionLinkInvalid");
    actAs(null, site.domain);
    expect((await subsOf("elsewhere@example.org"))[0].status).toBe("unconfirmed");

    // Expired: the link was sent more than 7 days ago; the subscription stays unconfirmed.
    expectSuccess(await viaAction({ email: "late@example.org", groups: ["1"] }, freshIp()));
    const late = tokenIn((await confirmMailsTo("late@example.org"))[0].text);
    await db.update(signupConfirmations).set({ sentAt: sql`now() - interval '8 days'` }).where(eq(signupConfirmations.email, "late@example.org"));
    expect((await confirmPage(late, "fr")).text).toContain("Ce lien de confirmation n’est pas valable");
    expectFailure(await pressConfirm(late), "errors.subscriptionLinkInvalid");
    expect((await subsOf("late@example.org"))[0].status).toBe("unconfirmed");

    for (const bad of [undefined, "", "x", "a".repeat(500), "../../etc/passwd", "%00"]) {
      expect((await confirmPage(bad)).text).toContain(INVALID_LINK);
    }
    for (const bad of ["", "a".repeat(500)]) expectFailure(await pressConfirm(bad));
  });

  it("in French, one group: the button and the confirmation say so in the singular", async () => {
    actAs(null, site.domain);
    const email = "un-groupe@example.org";
    expectSuccess(await viaAction({ email, groups: ["2"], locale: "fr" }, freshIp()));
    const token = tokenIn((await confirmMailsTo(email))[0].text);
    const opened = await confirmPage(token, "fr");
    expect(opened.html).toContain("Cet abonnement aux informations de Chora News attend votre confirmation\u202f:");
    expect(opened.html).toMatch(/>Confirmer mon abonnement<\/button>/);
    expect(opened.html).toContain("<li>Offres</li>");
  });
});

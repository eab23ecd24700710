import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, pendingRegistrations, queue, sites, users, type Site } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { pendingRegistration, purgeExpiredRegistrations } from "@/lib/auth/registration";
import { hiddenContent } from "@/lib/queue/hidden-content";
import { registerAction } from "@/app/[locale]/(public)/register/actions";
import { confirmRegistrationAction } from "@/app/[locale]/(public)/register/confirm/actions";
import { actAs, fakeRequest } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";
import { expectFailure, run } from "./helpers/actions";

const PASSWORD = "my chosen secret 1";

async function mailsTo(address: string) {
  return db
    .select({ kind: outboundMessages.kind, subject: outboundMessages.subject, text: outboundMessages.text, siteId: queue.siteId, name: queue.recipientName, locale: queue.locale })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .where(eq(queue.recipient, address))
    .orderBy(queue.id);
}

const tokenFrom = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1];
const form = (email: string, extra: Record<string, string> = {}) => ({ name: "Ada", email, locale: "en", password: PASSWORD, confirmPassword: PASSWORD, ...extra });

let n = 0;
const fresh = () => `visitor-${Date.now()}-${++n}@example.org`;

async function openSite(overrides: Partial<Site> = {}) {
  const site = await makeSite({ registrationOpen: true, name: "Maison", ...overrides });
  actAs(null, site.domain);
  return site;
}

beforeEach(() => {
  fakeRequest.opened = [];
  fakeRequest.ip = `198.51.100.${(n % 200) + 1}`;
});

describe("self-registration confirmed by email", () => {
  it("answers the same for a free address, one with an account here and one with an account on another site", async () => {
    const other = await makeSite();
    const site = await openSite();
    const here = await makeUser(site.id, "member", { locale: "fr" });
    const elsewhere = await makeUser(other.id, "member");
    const free = fresh();

    const answers = await Promise.all([free, here.email, elsewhere.email].map((email) => registerAction(form(email.toUpperCase()))));
    const shapes = answers.map((a) => (a.ok ? { ok: true, hours: (a.data as { hours: number }).hours } : a));
    expect(shapes).toEqual([
      { ok: true, hours: 24 },
      { ok: true, hours: 24 },
      { ok: true, hours: 24 },
    ]);
    for (const [i, email] of [free, here.email, elsewhere.email].entries()) expect(answers[i]).toEqual({ ok: true, data: { email, hours: 24 } });

    // Nobody was signed in and no account was created or changed.
    expect(fakeRequest.opened).toEqual([]);
    expect(await db.select().from(users).where(eq(users.email, free))).toEqual([]);

    // Each address got one email; the queue rows look alike (kind, subject, name, language, site).
    const [toFree] = await mailsTo(free);
    const [toHere] = await mailsTo(here.email);
    const [toElsewhere] = await mailsTo(elsewhere.email);
    for (const mail of [toFree, toHere, toElsewhere]) {
      expect(mail).toMatchObject({ kind: "registration", subject: "Maison: your account", siteId: site.id, name: "", locale: "en" });
    }
    expect(hiddenContent("registration")).toBe(true);

    expect(toFree.text).toContain(`https://${site.domain}/en/register/confirm?token=`);
    expect(toFree.text).toContain("within 24 hours");
    for (const mail of [toHere, toElsewhere]) {
      expect(mail.text).toContain("already has an account");
      expect(mail.text).not.toContain("token=");
    }
    // The notice's links lead to where the account can sign in: its own site.
    expect(toHere.text).toContain(`https://${site.domain}/en/sign-in`);
    expect(toElsewhere.text).toContain(`https://${other.domain}/en/sign-in`);
    expect(toElsewhere.text).toContain(`https://${other.domain}/en/forgot-password`);
    expect(await db.select().from(pendingRegistrations).where(eq(pendingRegistrations.email, here.email))).toEqual([]);
  });

  it("keeps no password, only hashes", async () => {
    await openSite();
    const email = fresh();
    await registerAction(form(email));
    const [row] = await db.select().from(pendingRegistrations).where(eq(pendingRegistrations.email, email));
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    const [mail] = await mailsTo(email);
    expect(row.tokenHash).not.toBe(tokenFrom(mail.text));
  });

  it("the link creates the account once, signs the browser in and goes home", async () => {
    const site = await openSite();
    const email = fresh();
    await registerAction(form(email, { name: "Ada Lovelace" }));
    const token = tokenFrom((await mailsTo(email))[0].text);
    expect(await pendingRegistration(site, token)).toEqual({ email, taken: false });

    expectFailure(await run(confirmRegistrationAction, { token, password: "not the password" }), "errors.registrationPasswordWrong");
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);

    expect(await run(confirmRegistrationAction, { token, password: PASSWORD })).toEqual({ redirect: "/en" });
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({ siteId: site.id, name: "Ada Lovelace", role: "member", locale: "en", disabledAt: null });
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
    expect(fakeRequest.opened).toEqual([{ email, password: PASSWORD }]);

    expectFailure(await run(confirmRegistrationAction, { token, password: PASSWORD }), "errors.registrationLinkInvalid");
    expect(await pendingRegistration(site, token)).toBeNull();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it("a link works only on the site it was sent for", async () => {
    await openSite();
    const email = fresh();
    await registerAction(form(email));
    const token = tokenFrom((await mailsTo(email))[0].text);
    const other = await openSite();
    expect(await pendingRegistration(other, token)).toBeNull();
    expectFailure(await run(confirmRegistrationAction, { token, password: PASSWORD }), "errors.registrationLinkInvalid");
  });

  it("a link sent before registration closed creates nothing once it is closed", async () => {
    const site = await openSite();
    const email = fresh();
    await registerAction(form(email));
    const token = tokenFrom((await mailsTo(email))[0].text);
    await db.update(sites).set({ registrationOpen: false }).where(eq(sites.id, site.id));
    expectFailure(await run(confirmRegistrationAction, { token, password: PASSWORD }), "errors.registrationClosed");
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("refuses an expired link, and housekeeping forgets it", async () => {
    const site = await openSite();
    const email = fresh();
    await registerAction(form(email));
    const token = tokenFrom((await mailsTo(email))[0].text);
    await db.update(pendingRegistrations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(pendingRegistrations.email, email));
    expect(await pendingRegistration(site, token)).toBeNull();
    expectFailure(await run(confirmRegistrationAction, { token, password: PASSWORD }), "errors.registrationLinkInvalid");
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
    await purgeExpiredRegistrations();
    expect(await db.select().from(pendingRegistrations).where(eq(pendingRegistrations.email, email))).toEqual([]);
  });

  it("too many wrong passwords burn the link", async () => {
    await openSite();
    const email = fresh();
    await registerAction(form(email));
    const token = tokenFrom((await mailsTo(email))[0].text);
    for (let i = 0; i < 4; i++) expectFailure(await run(confirmRegistrationAction, { token, password: `guess ${i}` }), "errors.registrationPasswordWrong");
    expectFailure(await run(confirmRegistrationAction, { token, password: "guess 5" }), "errors.registrationLinkInvalid");
    expectFailure(await run(confirmRegistrationAction, { token, password: PASSWORD }), "errors.registrationLinkInvalid");
  });

  it("two pending registrations for one address: the first link used wins, the other says the address has an account", async () => {
    const a = await openSite();
    const email = fresh();
    await registerAction(form(email, { name: "First" }));
    const b = await openSite();
    await registerAction(form(email, { name: "Second", locale: "fr" }));
    const [first, second] = (await mailsTo(email)).map((m) => tokenFrom(m.text));

    actAs(null, b.domain);
    expect(await run(confirmRegistrationAction, { token: second, password: PASSWORD })).toEqual({ redirect: "/fr" });
    actAs(null, a.domain);
    expect(await pendingRegistration(a, first)).toEqual({ email, taken: true });
    expectFailure(await run(confirmRegistrationAction, { token: first, password: PASSWORD }), "errors.registrationAccountExists");

    const accounts = await db.select().from(users).where(eq(users.email, email));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ siteId: b.id, name: "Second" });
  });

  it("caps the emails to one address: past 3 in 10 minutes, the same answer and nothing queued", async () => {
    const site = await openSite();
    const taken = await makeUser(site.id);
    for (const email of [fresh(), taken.email]) {
      for (let i = 0; i < 5; i++) expect(await registerAction(form(email))).toEqual({ ok: true, data: { email, hours: 24 } });
      expect(await mailsTo(email)).toHaveLength(3);
    }
  });

  it("refuses when registration is closed, and keeps what was typed on invalid input", async () => {
    const closed = await makeSite({ registrationOpen: false });
    actAs(null, closed.domain);
    const email = fresh();
    expectFailure(await run(registerAction, form(email)), "errors.registrationClosed");
    expect(await mailsTo(email)).toEqual([]);

    await openSite();
    const bad = await run(registerAction, form("not an address", { confirmPassword: "something else 1" }));
    expectFailure(bad, "errors.checkFields");
    expect(bad).toMatchObject({ values: { name: "Ada", email: "not an address" }, fieldErrors: { email: {}, confirmPassword: { key: "errors.passwordsDiffer" } } });
    expect(JSON.stringify(bad)).not.toContain(PASSWORD);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { messageTemplates, newsletterSends, outboundMessages, queue, subscriptions, type Site, type User } from "@/db/schema";
import { countSendAction, saveTemplateAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { audienceRows, countAudience, smsAudienceCost, type AudienceSpec } from "@/lib/newsletters/audience";
import { findSubscriber, searchPhoneSubscribers, searchSubscribers } from "@/lib/newsletters/templates";
import { GET as subscribersRoute } from "@/app/api/templates/subscribers/route";
import { NextRequest } from "next/server";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";

// A template may be for the subscribers of one language only: a bilingual site sends its French
// and its English newsletter as two templates. A subscription whose language is unknown (added
// by hand, imported) counts as the site's language; pasted recipients always receive it.

let site: Site;
let admin: User;
const sub = (email: string, groupId: number, locale: string | null, phone: string | null = null) =>
  ({ siteId: site.id, groupId, email, locale, phone, status: "confirmed" as const, source: "screen" as const });

async function recipients(spec: AudienceSpec): Promise<string[]> {
  const result = await db.execute(sql`select recipient from (${await audienceRows(spec, "https://x.example.org")}) as r`);
  return rows<{ recipient: string }>(result).map((r) => r.recipient).sort();
}

beforeAll(async () => {
  // A French site: unknown languages read French.
  site = await makeSite({ domain: "bilingue.example.org", defaultLocale: "fr" });
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await setOverride(site.id, "fr", "signup_opt1", "Nouvelles");
  await db.insert(subscriptions).values([
    sub("anne@example.org", 1, "fr", "+33612345601"),
    sub("bob@example.org", 1, "en", "+33612345602"),
    sub("nobody-knows@example.org", 1, null, "+33612345603"),
    // French in group 1, English in group 2 (the later one, so the latest: English).
    sub("mixed@example.org", 1, "fr", "+33612345609"),
    sub("mixed@example.org", 2, "en", "+33612345609"),
    sub("carl@example.org", 2, "en"),
  ]);
});

describe("the audience of a template for one language", () => {
  const spec = (readers: string | null, groupIds: number[], pasted = ""): AudienceSpec => ({ siteId: site.id, groupIds, pasted, readers, siteLocale: "fr" });

  it("takes the groups' subscribers who read it, the unknown ones as the site's language", async () => {
    expect(await recipients(spec("en", [1]))).toEqual(["bob@example.org"]);
    expect(await recipients(spec("fr", [1]))).toEqual(["anne@example.org", "mixed@example.org", "nobody-knows@example.org"]);
    expect(await recipients(spec(null, [1]))).toEqual(["anne@example.org", "bob@example.org", "mixed@example.org", "nobody-knows@example.org"]);
    // Each send's own groups decide: in group 1 alone the address is French, in group 2 English.
    expect(await recipients(spec("en", [2]))).toEqual(["carl@example.org", "mixed@example.org"]);
    for (const s of [spec("en", [1]), spec("fr", [1]), spec("en", [2]), spec("fr", [2])]) expect(await countAudience(s)).toBe((await recipients(s)).length);
  });

  it("gives a person in groups of two languages one language: one template per language reaches them once", async () => {
    // Neither language stated at a known time (rows put in place here): the newer row, group 2's English.
    const fr = await recipients(spec("fr", [1, 2]));
    const en = await recipients(spec("en", [1, 2]));
    expect(en).toEqual(["bob@example.org", "carl@example.org", "mixed@example.org"]);
    expect(fr).toEqual(["anne@example.org", "nobody-knows@example.org"]);
    expect((await countAudience(spec("fr", [1, 2]))) + (await countAudience(spec("en", [1, 2])))).toBe(5);
    const sms = (readers: string) => ({ ...spec(readers, [1, 2]), channel: "sms" as const, country: "FR" });
    expect([await countAudience(sms("fr")), await countAudience(sms("en"))]).toEqual([2, 2]);

    // Group 1's language stated since (say, "Set language…" there): now French.
    await db.update(subscriptions).set({ localeSetAt: new Date(Date.now() + 60_000) }).where(and(eq(subscriptions.email, "mixed@example.org"), eq(subscriptions.groupId, 1)));
    expect(await recipients(spec("fr", [1, 2]))).toEqual(["anne@example.org", "mixed@example.org", "nobody-knows@example.org"]);
    expect(await recipients(spec("en", [1, 2]))).toEqual(["bob@example.org", "carl@example.org"]);
    for (const s of [spec("fr", [1, 2]), spec("en", [1, 2]), spec("en", [1, 2], "mixed@example.org")]) expect(await countAudience(s)).toBe((await recipients(s)).length);
    expect([await countAudience(sms("fr")), await countAudience(sms("en"))]).toEqual([3, 1]);
    await db.update(subscriptions).set({ localeSetAt: null }).where(and(eq(subscriptions.email, "mixed@example.org"), eq(subscriptions.groupId, 1)));
  });

  it("on an English site, the unknown ones read English", async () => {
    expect(await recipients({ ...spec("en", [1]), siteLocale: "en" })).toEqual(["bob@example.org", "nobody-knows@example.org"]);
  });

  it("always keeps the pasted recipients, counted once with the groups", async () => {
    const pasted = "anne@example.org\nnew@example.org\nbob@example.org";
    const expected = ["anne@example.org", "bob@example.org", "new@example.org"];
    expect(await recipients(spec("en", [1], pasted))).toEqual(expected);
    expect(await countAudience(spec("en", [1], pasted))).toBe(expected.length);
  });

  it("filters an SMS send's numbers the same way", async () => {
    const sms = (readers: string | null) => ({ ...spec(readers, [1]), channel: "sms" as const, country: "FR" });
    expect(await countAudience(sms("en"))).toBe(1);
    expect(await countAudience(sms("fr"))).toBe(3);
    expect(await countAudience(sms(null))).toBe(4);
    expect(await smsAudienceCost(sms("en"), "Hello {{name}}")).toEqual({ count: 1, segments: 1 });
  });
});

describe("a template saved for English readers and sent", () => {
  const fields = { locale: "en", name: "English news", subject: "News", html: "<p>Hello</p>", text: "", textEdited: "off", fromName: "", fromAddress: "", replyTo: "", groupIds: ["1"], pastedRecipients: "" };

  it("refuses a language the site does not have, keeping the form", async () => {
    actAs(admin.id, site.domain);
    expectFailure(await run(saveTemplateAction as AnyAction, { ...fields, audienceLocale: "de" }));
  });

  it("queues the English readers only, with the unsubscribe link in English", async () => {
    actAs(admin.id, site.domain);
    const created = await run(saveTemplateAction as AnyAction, { ...fields, audienceLocale: "en" });
    const id = Number(/templates\/(\d+)/.exec((created as { redirect: string }).redirect)![1]);
    const [template] = await db.select().from(messageTemplates).where(eq(messageTemplates.id, id));
    expect(template.audienceLocale).toBe("en");

    // The dialog says who it is for before anything is queued.
    const counted = expectSuccess(await run(countSendAction as AnyAction, { id: String(id) })) as { data: { count: number; readers: string | null } };
    expect(counted.data).toMatchObject({ count: 1, readers: "en" });

    expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(id), when: "now" }));
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.templateId, id));
    const queued = await db.select({ recipient: queue.recipient }).from(queue).where(eq(queue.messageId, send.messageId!));
    expect(queued.map((r) => r.recipient)).toEqual(["bob@example.org"]);
    const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, send.messageId!));
    expect(message.html).toContain(">Unsubscribe</a>");
    expect(message.text).toContain("Unsubscribe");

    // Back to every language: "" is stored as null.
    expectSuccess(await run(saveTemplateAction as AnyAction, { ...fields, id: String(id), audienceLocale: "" }));
    const [again] = await db.select().from(messageTemplates).where(eq(messageTemplates.id, id));
    expect(again.audienceLocale).toBeNull();
  });
});

describe("preview as a subscriber, for a template for one language", () => {
  const en = { readers: "en", siteLocale: "fr" };
  it("offers only the people the template reaches", async () => {
    expect((await searchSubscribers(site.id, [1], "example", 10, en)).map((s) => s.email)).toEqual(["bob@example.org"]);
    expect((await searchSubscribers(site.id, [1], "example", 10, { readers: null, siteLocale: "fr" })).length).toBe(4);
    expect(await findSubscriber(site.id, [1], "anne@example.org", en)).toBeNull();
    expect(await findSubscriber(site.id, [1], "bob@example.org", en)).toMatchObject({ email: "bob@example.org" });
    expect((await searchPhoneSubscribers(site.id, [1], "+336", 10, "FR", en)).map((s) => s.phone)).toEqual(["+33612345602"]);
  });

  it("the search route takes the language, and refuses one the site does not have", async () => {
    actAs(admin.id, site.domain);
    const ask = (query: string) => subscribersRoute(new NextRequest(`http://x/api/templates/subscribers?q=example&group=1${query}`));
    expect((await (await ask("&lang=en")).json()).subscribers.map((s: { email: string }) => s.email)).toEqual(["bob@example.org"]);
    expect((await ask("&lang=de")).status).toBe(400);
  });
});

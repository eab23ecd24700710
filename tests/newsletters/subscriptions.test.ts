import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { subscriberKeys, subscriptions, type Site, type User } from "@/db/schema";
import {
  addSubscriberAction,
  createGroupAction,
  moveSubscriptionsAction,
  pasteSubscribersAction,
  removeSubscriptionsAction,
  setPhoneAction,
} from "@/app/[locale]/manage/subscriptions/actions";
import { GET as exportCsv } from "@/app/api/subscriptions/export/route";
import { createGroup, listGroups } from "@/lib/newsletters/groups";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { parseSubscriptionFilters, subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { EN_KEYS, expectFailure, expectSuccess, run } from "../helpers/actions";

let siteA: Site, siteB: Site;
let adminA: User, memberA: User, adminB: User;
let news: number, offers: number, events: number, groupB: number;

/** email → status of a group, sorted by email. */
async function members(siteId: number, groupId: number) {
  const list = await db
    .select({ email: subscriptions.email, status: subscriptions.status, name: subscriptions.name })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId)))
    .orderBy(asc(subscriptions.email));
  return Object.fromEntries(list.map((s) => [s.email, s.status]));
}
const idsOf = async (siteId: number, groupId: number, emails: string[]) =>
  (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId)))).filter((s) => emails.includes(s.email)).map((s) => s.id);
const allRows = () => db.select().from(subscriptions).orderBy(asc(subscriptions.id));

beforeAll(async () => {
  siteA = await makeSite({ domain: "a.example.org" });
  siteB = await makeSite({ domain: "b.example.org" });
  [adminA, memberA, adminB] = await Promise.all([makeUser(siteA.id, "admin"), makeUser(siteA.id, "member"), makeUser(siteB.id, "admin")]);
  news = await createGroup(siteA, { fr: "Actualités", en: "News" });
  offers = await createGroup(siteA, { fr: "Offres", en: "Offers" });
  events = await createGroup(siteA, { fr: "Événements", en: "Events" });
  groupB = await createGroup(siteB, { en: "B news" });
});

describe("groups", () => {
  it("New group takes the next number and a label in each language", async () => {
    actAs(adminA.id, siteA.domain);
    const outcome = await run(createGroupAction, { locale: "en", fr: " Lettre ", en: "Letter" });
    expect(outcome).toEqual({ redirect: `/en/manage/subscriptions/${events + 1}?created=1` });
    const group = (await listGroups(siteA, "fr")).find((g) => g.id === events + 1);
    expect(group).toMatchObject({ label: "Lettre", labels: { fr: "Lettre", en: "Letter" } });
    expect((await listGroups(siteB, "en")).map((g) => g.id)).not.toContain(events + 1); // another site's groups are its own

    const failed = expectFailure(await run(createGroupAction, { locale: "en", fr: "", en: "x".repeat(201) }), "errors.checkFields");
    expect(failed.fieldErrors).toEqual({ fr: { key: "errors.required" }, en: { key: "errors.tooLong", values: { max: 200 } } });
    expect(failed.values).toMatchObject({ fr: "", en: "x".repeat(201) });
  });
});

describe("adding addresses", () => {
  it("adds one address as confirmed, recording who added it and when", async () => {
    actAs(adminA.id, siteA.domain);
    const before = Date.now();
    expectSuccess(await run(addSubscriberAction, { group: String(news), email: "  Ann@Example.org ", name: "Ann" }));
    const [ann] = await db.select().from(subscriptions).where(eq(subscriptions.email, "ann@example.org"));
    expect(ann).toMatchObject({ siteId: siteA.id, groupId: news, status: "confirmed", source: "screen", name: "Ann", consentText: `added by ${adminA.email}` });
    expect(ann.consentAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(ann.confirmedAt).not.toBeNull();

    const again = expectFailure(await run(addSubscriberAction, { group: news, email: "ann@example.org", name: "" }), "errors.alreadySubscribed");
    expect(again.fieldErrors?.email).toEqual({ key: "errors.alreadySubscribed", values: { email: "ann@example.org" } });
    const bad = expectFailure(await run(addSubscriberAction, { group: news, email: "not an address", name: "Kept" }), "errors.checkFields");
    expect(bad.fieldErrors?.email.key).toBe("errors.email");
    expect(bad.values).toMatchObject({ email: "not an address", name: "Kept" });
    const twoLines = expectFailure(await run(addSubscriberAction, { group: news, email: "eve@example.org", name: "Eve\r\nBcc: victim@example.org" }), "errors.checkFields");
    expect(twoLines.fieldErrors?.name.key).toBe("errors.singleLine");
    expect(twoLines.values).toMatchObject({ email: "eve@example.org", name: "Eve\r\nBcc: victim@example.org" });
    expectFailure(await run(addSubscriberAction, { group: 999, email: "x@example.org" }), "errors.groupNotFound");
    expectFailure(await run(addSubscriberAction, { group: "abc", email: "x@example.org" }), "errors.checkFields");
  });

  it("confirms a waiting address but never re-confirms an unsubscribed or suppressed one", async () => {
    actAs(adminA.id, siteA.domain);
    await db.insert(subscriptions).values([
      { siteId: siteA.id, groupId: news, email: "wait@example.org", source: "signup", status: "unconfirmed" },
      { siteId: siteA.id, groupId: news, email: "gone@example.org", source: "signup", status: "unsubscribed", unsubscribedAt: new Date() },
    ]);
    await db.insert(subscriberKeys).values({ siteId: siteA.id, email: "never@example.org", token: "t".repeat(40), suppressedAt: new Date() });
    expect(expectSuccess(await run(addSubscriberAction, { group: news, email: "wait@example.org" }))).toMatchObject({ data: { outcome: "confirmed" } });
    expectFailure(await run(addSubscriberAction, { group: news, email: "gone@example.org" }), "errors.unsubscribedAddress");
    expectFailure(await run(addSubscriberAction, { group: news, email: "never@example.org" }), "errors.suppressedAddress");
    expect(await members(siteA.id, news)).toEqual({ "ann@example.org": "confirmed", "gone@example.org": "unsubscribed", "wait@example.org": "confirmed" });
  });

  it("pastes many: reports added, already there, refused and invalid ones", async () => {
    actAs(adminA.id, siteA.domain);
    const text = "bob@example.org, Carl <CARL@example.org>\nann@example.org; bob@example.org\nnot-an-address gone@example.org\nnever@example.org dan@example.org @nope";
    const outcome = expectSuccess(await run(pasteSubscribersAction, { group: String(news), addresses: text }));
    expect(outcome).toMatchObject({
      ok: true,
      data: { added: 3, confirmed: 0, already: 1, refused: ["gone@example.org", "never@example.org"], invalid: ["@nope"] },
    });
    const rows = await db.select().from(subscriptions).where(and(eq(subscriptions.groupId, news), eq(subscriptions.email, "carl@example.org")));
    expect(rows[0]).toMatchObject({ name: "Carl", status: "confirmed", source: "screen", consentText: `added by ${adminA.email}` });
    expect(await members(siteA.id, news)).toMatchObject({ "gone@example.org": "unsubscribed", "dan@example.org": "confirmed" });
    expect((await members(siteA.id, news))["never@example.org"]).toBeUndefined();

    const nothing = expectFailure(await run(pasteSubscribersAction, { group: news, addresses: "foo, bar@" }), "errors.noValidAddresses");
    expect(nothing.values).toMatchObject({ addresses: "foo, bar@" });
    expectFailure(await run(pasteSubscribersAction, { group: news, addresses: "" }), "errors.checkFields");
  });

  it("pastes a person a line, with a name and a mobile number around the address, as a spreadsheet gives them", async () => {
    actAs(adminA.id, siteA.domain);
    const text = [
      "Paul Martin <paul@example.org> 06 55 44 33 21", // national, in the site's country
      "Zoé Durand\tzoe@example.org\t+32 470 12 34 56", // columns copied from a spreadsheet
      "+33 6 55 44 33 22", // a number alone: whose?
      "eve@example.org 01 23 45 67 89", // a landline takes no SMS
      "fay@example.org 12", // too short for a number, not a name
      `gus@example.org ${"x".repeat(1_000)}`, // no one's line is this long: refused unread
    ].join("\n");
    const outcome = expectSuccess(await run(pasteSubscribersAction, { group: String(news), addresses: text }));
    expect(outcome).toMatchObject({ data: { added: 2, invalid: ["+33 6 55 44 33 22", "eve@example.org 01 23 45 67 89", "fay@example.org 12", `gus@example.org ${"x".repeat(1_000)}`] } });
    const people = await db
      .select({ email: subscriptions.email, name: subscriptions.name, phone: subscriptions.phone })
      .from(subscriptions)
      .where(and(eq(subscriptions.groupId, news), inArray(subscriptions.email, ["paul@example.org", "zoe@example.org", "eve@example.org", "fay@example.org"])))
      .orderBy(subscriptions.email);
    expect(people).toEqual([
      { email: "paul@example.org", name: "Paul Martin", phone: "+33655443321" },
      { email: "zoe@example.org", name: "Zoé Durand", phone: "+32470123456" },
    ]);
  });
});

describe("pasting numbers for addresses already in the group", () => {
  it("replaces their number, as the import does, and says so: added, replaced (by address), untouched", async () => {
    const group = await createGroup(siteA, { fr: "Numéros collés", en: "Pasted numbers" });
    const row = (email: string, status: "confirmed" | "unconfirmed" | "unsubscribed", phone: string | null) => ({ siteId: siteA.id, groupId: group, email, status, phone, source: "signup" as const });
    await db.insert(subscriptions).values([
      row("alice@example.org", "confirmed", "+33611111111"),
      row("bob@example.org", "confirmed", null),
      row("carl@example.org", "unconfirmed", "+33622222222"),
      row("dora@example.org", "unsubscribed", "+33633333333"),
    ]);
    actAs(adminA.id, siteA.domain);
    const text = [
      "alice@example.org 06 99 99 99 99", // replaces her number
      "bob@example.org 06 88 88 88 88", // he had none
      "carl@example.org +33 6 22 22 22 22", // the number he has: nothing changes
      "dora@example.org 06 77 77 77 77", // unsubscribed: left as she is
      "new@example.org 06 55 55 55 55", // new: added with it
    ].join("\n");
    const outcome = expectSuccess(await run(pasteSubscribersAction, { group: String(group), addresses: text }));
    expect(outcome).toMatchObject({
      data: { added: 1, confirmed: 1, already: 2, numbersAdded: 1, numbersChanged: ["alice@example.org"], refused: ["dora@example.org"], invalid: [] },
    });
    const numbers = Object.fromEntries(
      (await db.select().from(subscriptions).where(eq(subscriptions.groupId, group)).orderBy(asc(subscriptions.email))).map((s) => [s.email, s.phone]),
    );
    expect(numbers).toEqual({
      "alice@example.org": "+33699999999",
      "bob@example.org": "+33688888888",
      "carl@example.org": "+33622222222",
      "dora@example.org": "+33633333333",
      "new@example.org": "+33655555555",
    });

    // The same text again changes nothing, and says nothing about numbers.
    const again = expectSuccess(await run(pasteSubscribersAction, { group, addresses: text }));
    expect(again).toMatchObject({ data: { added: 0, already: 4, numbersAdded: 0, numbersChanged: [] } });
  });

  it("says so too when an address new to the group brings another number than the one in its other groups", async () => {
    const volunteers = await createGroup(siteA, { fr: "Bénévoles collés", en: "Pasted volunteers" });
    const members = await createGroup(siteA, { fr: "Membres collés", en: "Pasted members" });
    actAs(adminA.id, siteA.domain);
    expectSuccess(await run(pasteSubscribersAction, { group: String(volunteers), addresses: "yves@example.org 06 11 11 11 11\nzia@example.org 06 33 33 33 33" }));
    const outcome = expectSuccess(
      await run(pasteSubscribersAction, { group: String(members), addresses: "yves@example.org 06 22 22 22 22\nzia@example.org 06 33 33 33 33\nxavier@example.org 06 44 44 44 44" }),
    );
    // Zia's number is the one she has; Xavier is new everywhere: only Yves's number was replaced.
    expect(outcome).toMatchObject({ data: { added: 3, numbersAdded: 0, numbersChanged: ["yves@example.org"] } });
    const yves = await db.select({ groupId: subscriptions.groupId, phone: subscriptions.phone }).from(subscriptions).where(eq(subscriptions.email, "yves@example.org"));
    expect(yves.map((y) => y.phone)).toEqual(["+33622222222", "+33622222222"]); // one person, one number
  });
});

describe("listing", () => {
  it("filters by email prefix and status, and pages by id without gaps", async () => {
    const list = async (query: string, limit = 50, after?: number) => {
      const { filters } = parseSubscriptionFilters(new URLSearchParams(query));
      return listSubscriptions(subscriptionsWhere(siteA.id, news, filters), { after: after ?? filters.after, limit });
    };
    expect((await list("q=CA")).rows.map((r) => r.email)).toEqual(["carl@example.org"]);
    expect((await list("status=unsubscribed")).rows.map((r) => r.email)).toEqual(["gone@example.org"]);
    expect(parseSubscriptionFilters({ status: "lost", q: "a\u0000", after: "-1" }).invalid).toEqual(["q", "status", "after"]);
    const seen: number[] = [];
    let after: number | undefined;
    do {
      const page = await list("", 2, after);
      seen.push(...page.rows.map((r) => r.id));
      after = page.next ?? undefined;
    } while (after);
    expect(seen).toHaveLength(Object.keys(await members(siteA.id, news)).length);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });
});

describe("moving and removing", () => {
  it("moves a selection to another group, merging addresses already there without duplicates", async () => {
    actAs(adminA.id, siteA.domain);
    await db.insert(subscriptions).values([
      { siteId: siteA.id, groupId: offers, email: "bob@example.org", source: "signup", status: "unconfirmed" },
      { siteId: siteA.id, groupId: offers, email: "carl@example.org", source: "signup", status: "confirmed", name: "Carl C." },
      { siteId: siteA.id, groupId: offers, email: "eve@example.org", source: "signup", status: "confirmed" },
    ]);
    const ids = await idsOf(siteA.id, news, ["ann@example.org", "bob@example.org", "carl@example.org"]);
    const result = expectSuccess(await run(moveSubscriptionsAction, { group: news, to: offers, ids: ids.map(String) }));
    expect(result).toMatchObject({ data: { moved: 1, merged: 2, kept: 0 } });
    expect(await members(siteA.id, offers)).toEqual({
      "ann@example.org": "confirmed",
      "bob@example.org": "confirmed", // was only waiting in "offers": the moved confirmation wins
      "carl@example.org": "confirmed",
      "eve@example.org": "confirmed",
    });
    const [carl] = await db.select().from(subscriptions).where(and(eq(subscriptions.groupId, offers), eq(subscriptions.email, "carl@example.org")));
    expect(carl).toMatchObject({ name: "Carl C.", source: "signup" });
    expect(Object.keys(await members(siteA.id, news))).not.toContain("bob@example.org");

    // An unsubscription moves along (never lost), and is not duplicated either.
    const gone = await idsOf(siteA.id, news, ["gone@example.org"]);
    expect(expectSuccess(await run(moveSubscriptionsAction, { group: news, to: offers, ids: gone }))).toMatchObject({ data: { moved: 0, merged: 0, kept: 1 } });
    expect((await members(siteA.id, offers))["gone@example.org"]).toBe("unsubscribed");

    expectFailure(await run(moveSubscriptionsAction, { group: news, to: news, ids: [1] }), "errors.checkFields");
    expect(expectFailure(await run(moveSubscriptionsAction, { group: news, to: news, ids: [1] })).fieldErrors?.to).toEqual({ key: "errors.sameGroup" });
    expectFailure(await run(moveSubscriptionsAction, { group: news, to: 777, ids: [1] }), "errors.groupNotFound");
    expect(expectFailure(await run(moveSubscriptionsAction, { group: news, to: offers, ids: [] })).fieldErrors?.ids).toEqual({ key: "errors.selectSubscribers" });
  });

  it("removes a selection, and only rows of that group", async () => {
    actAs(adminA.id, siteA.domain);
    const inOffers = await idsOf(siteA.id, offers, ["eve@example.org", "ann@example.org"]);
    const inNews = await idsOf(siteA.id, news, ["dan@example.org"]);
    expect(expectSuccess(await run(removeSubscriptionsAction, { group: offers, ids: [...inOffers, ...inNews] }))).toMatchObject({ data: { count: 2 } });
    expect(Object.keys(await members(siteA.id, offers)).sort()).toEqual(["bob@example.org", "carl@example.org", "gone@example.org"]);
    expect(Object.keys(await members(siteA.id, news))).toContain("dan@example.org");
  });
});

describe("site scoping", () => {
  it("refuses a member and another site's admin, and changes nothing", async () => {
    const before = await allRows();
    const groupsBefore = await listGroups(siteA, "en");
    const ids = before.filter((r) => r.siteId === siteA.id).map((r) => r.id);
    for (const user of [memberA, adminB]) {
      actAs(user.id, siteA.domain);
      for (const [act, input] of [
        [addSubscriberAction, { group: news, email: "intruder@example.org" }],
        [pasteSubscribersAction, { group: news, addresses: "intruder@example.org" }],
        [removeSubscriptionsAction, { group: news, ids }],
        [moveSubscriptionsAction, { group: news, to: offers, ids }],
        [setPhoneAction, { group: news, id: ids[0], phone: "06 12 34 56 78" }],
        [createGroupAction, { locale: "en", fr: "X", en: "X" }],
      ] as const) {
        expectFailure(await run(act, input), "errors.forbidden");
      }
    }
    actAs(null, siteA.domain);
    expectFailure(await run(removeSubscriptionsAction, { group: news, ids }), "errors.signInRequired");
    expect(await allRows()).toEqual(before);
    expect(await listGroups(siteA, "en")).toEqual(groupsBefore);
  });

  it("keeps an admin on their own site, whatever ids or groups they send", async () => {
    const before = await allRows();
    const ids = before.filter((r) => r.siteId === siteA.id).map((r) => r.id);
    actAs(adminB.id, siteB.domain);
    expect(expectSuccess(await run(removeSubscriptionsAction, { group: news, ids }))).toMatchObject({ data: { count: 0 } });
    expect(expectSuccess(await run(removeSubscriptionsAction, { group: groupB, ids }))).toMatchObject({ data: { count: 0 } });
    expect(expectSuccess(await run(moveSubscriptionsAction, { group: offers === groupB ? news : offers, to: groupB, ids }))).toMatchObject({ data: { moved: 0, merged: 0 } });
    expectFailure(await run(addSubscriberAction, { group: events, email: "x@example.org" }), "errors.groupNotFound"); // only site A has it
    expect(await allRows()).toEqual(before);
  });
});

describe("CSV export", () => {
  const get = (path: string) => exportCsv(new NextRequest(`http://localhost${path}`));

  it("refuses the signed-out, members and other sites' admins", async () => {
    for (const [user, status] of [[null, 401], [memberA.id, 403], [adminB.id, 403]] as const) {
      actAs(user, siteA.domain);
      expect((await get(`/api/subscriptions/export?group=${offers}`)).status).toBe(status);
    }
    actAs(adminA.id, siteA.domain);
    const refused = await exportCsv(new NextRequest("http://localhost/api/subscriptions/export?group=abc", { headers: { "accept-language": "en-GB,fr;q=0.5" } }));
    expect(refused.status).toBe(400);
    // Translated, in the reader's language (the locale cookie, else Accept-Language).
    expect(await refused.json()).toEqual({ ok: false, error: { key: "errors.groupNumber", message: "This address names no group: it needs the group’s number, such as group=3." } });
    const fr = await exportCsv(new NextRequest("http://localhost/api/subscriptions/export", { headers: { cookie: "NEXT_LOCALE=fr" } }));
    expect(fr.status).toBe(400);
    expect((await fr.json()).error.message).toMatch(/^Cette adresse ne désigne aucun groupe/);
  });

  it("streams the group or the filter, quoted and with formulas defused", async () => {
    await db.insert(subscriptions).values({
      siteId: siteA.id,
      groupId: offers,
      email: "quote@example.org",
      name: '=HYPERLINK("x"), "Q"',
      source: "import",
      status: "confirmed",
      consentAt: new Date("2024-05-01T10:00:00Z"),
      consentIp: "192.0.2.7",
      consentText: "imported by admin\nfrom list.csv",
      confirmedAt: new Date("2024-05-01T10:00:00Z"),
    });
    actAs(adminA.id, siteA.domain);
    const response = await get(`/api/subscriptions/export?group=${offers}`);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="subscriptions-${offers}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    // Response.text() would drop the BOM: read the bytes as they are sent.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith("\uFEFFemail,name,status,source,consent_at,consent_ip,consent_text,confirmed_at,unsubscribed_at,phone,language\r\n")).toBe(true);
    expect(text).toContain(`quote@example.org,"'=HYPERLINK(""x""), ""Q""",confirmed,import,2024-05-01T10:00:00.000Z,192.0.2.7,"imported by admin\nfrom list.csv",2024-05-01T10:00:00.000Z,,,\r\n`);
    const emails = (t: string) => t.replace(/^\uFEFF/, "").trim().split("\r\n").slice(1).map((l) => l.split(",")[0]).sort();
    expect(emails(text)).toEqual(["bob@example.org", "carl@example.org", "gone@example.org", "quote@example.org"]);
    expect(emails(await (await get(`/api/subscriptions/export?group=${offers}&status=unsubscribed&bogus=1`)).text())).toEqual(["gone@example.org"]);
    expect(emails(await (await get(`/api/subscriptions/export?group=${offers}&q=QU`)).text())).toEqual(["quote@example.org"]);

    actAs(adminB.id, siteB.domain); // site B's admin asking for site A's group number gets site B's rows: none
    expect(emails(await (await get(`/api/subscriptions/export?group=${offers}`)).text())).toEqual([]);
  });
});

describe("phone numbers of existing subscriptions", () => {
  const phoneOf = async (email: string, groupId = events, siteId = siteA.id) =>
    (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId), eq(subscriptions.email, email))))[0];

  it("sets, changes and removes a subscription's phone, stored in E.164; an invalid number is refused and kept as typed", async () => {
    await db.insert(subscriptions).values({ siteId: siteA.id, groupId: events, email: "pat@example.org", source: "signup", status: "confirmed" });
    const [pat] = await idsOf(siteA.id, events, ["pat@example.org"]);
    actAs(adminA.id, siteA.domain);

    const set = expectSuccess(await run(setPhoneAction, { group: String(events), id: String(pat), phone: " 06 12 34 56 78 " }));
    expect(set).toMatchObject({ data: { email: "pat@example.org", phone: "+33 6 12 34 56 78" } });
    expect((await phoneOf("pat@example.org")).phone).toBe("+33612345678"); // national, read in the site's country (FR)
    expectSuccess(await run(setPhoneAction, { group: events, id: pat, phone: "+33 7 81 23 45 67" }));
    expect((await phoneOf("pat@example.org")).phone).toBe("+33781234567");

    const refused = expectFailure(await run(setPhoneAction, { group: String(events), id: String(pat), phone: "06 12" }), "errors.invalidPhone");
    expect(refused.fieldErrors?.phone).toEqual({ key: "errors.invalidPhone", values: { number: "06 12", read: "national", country: "France", other: "+32" } });
    expect(refused.values).toMatchObject({ phone: "06 12", id: String(pat) }); // the form shows it again, to be corrected
    expect((await phoneOf("pat@example.org")).phone).toBe("+33781234567");

    expect(expectSuccess(await run(setPhoneAction, { group: events, id: pat, phone: "  " }))).toMatchObject({ data: { phone: null } });
    const removed = await phoneOf("pat@example.org");
    expect(removed).toMatchObject({ phone: null, status: "confirmed", source: "signup" }); // nothing else changes
    expectFailure(await run(setPhoneAction, { group: events, id: "abc", phone: "" }), "errors.checkFields");
  });

  it("refuses another site's subscription, another group's, members and other sites' admins", async () => {
    const [pat] = await idsOf(siteA.id, events, ["pat@example.org"]);
    actAs(adminA.id, siteA.domain);
    expectSuccess(await run(setPhoneAction, { group: events, id: pat, phone: "0612345678" }));
    await db.insert(subscriptions).values({ siteId: siteB.id, groupId: groupB, email: "bea@example.org", source: "signup", status: "confirmed" });
    const [bea] = await idsOf(siteB.id, groupB, ["bea@example.org"]);

    expectFailure(await run(setPhoneAction, { group: groupB, id: bea, phone: "0698765432" }), "errors.notFound"); // site B's subscription
    expectFailure(await run(setPhoneAction, { group: news, id: pat, phone: "0698765432" }), "errors.notFound"); // not in that group
    actAs(adminB.id, siteB.domain);
    expectFailure(await run(setPhoneAction, { group: events, id: pat, phone: "" }), "errors.notFound"); // site A's subscription
    for (const user of [memberA, adminB]) {
      actAs(user.id, siteA.domain);
      expectFailure(await run(setPhoneAction, { group: events, id: pat, phone: "" }), "errors.forbidden");
    }
    expect((await phoneOf("pat@example.org")).phone).toBe("+33612345678");
    expect((await phoneOf("bea@example.org", groupB, siteB.id)).phone).toBeNull();
  });

  it("Add one of an address already in the group with a phone sets its number, and says so", async () => {
    actAs(adminA.id, siteA.domain);
    const added = expectSuccess(await run(addSubscriberAction, { group: events, email: "PAT@example.org", name: "Pat", phone: "07 81 23 45 67" }));
    expect(added).toMatchObject({ data: { outcome: "phone", email: "pat@example.org", phone: "+33 7 81 23 45 67" } });
    expect(EN_KEYS.has("subscriptions.add.phoneSet")).toBe(true);
    // The number changes; the status, source and consent record of the subscription do not. An empty name is filled in.
    expect(await phoneOf("pat@example.org")).toMatchObject({ phone: "+33781234567", status: "confirmed", source: "signup", consentText: null, name: "Pat" });

    // Without a number it is still "already in the group", and the number stays.
    expectFailure(await run(addSubscriberAction, { group: events, email: "pat@example.org" }), "errors.alreadySubscribed");
    expect((await phoneOf("pat@example.org")).phone).toBe("+33781234567");

    // A waiting address is confirmed and gets the number; an unsubscribed one is left exactly as it is.
    await db.insert(subscriptions).values([
      { siteId: siteA.id, groupId: events, email: "wes@example.org", source: "signup", status: "unconfirmed", phone: "+33611111111" },
      { siteId: siteA.id, groupId: events, email: "ula@example.org", source: "signup", status: "unsubscribed", unsubscribedAt: new Date() },
    ]);
    expect(expectSuccess(await run(addSubscriberAction, { group: events, email: "wes@example.org", phone: "0622222222" }))).toMatchObject({ data: { outcome: "confirmed" } });
    expect(await phoneOf("wes@example.org")).toMatchObject({ phone: "+33622222222", status: "confirmed" });
    expectFailure(await run(addSubscriberAction, { group: events, email: "ula@example.org", phone: "0633333333" }), "errors.unsubscribedAddress");
    expect(await phoneOf("ula@example.org")).toMatchObject({ phone: null, status: "unsubscribed" });
  });
});

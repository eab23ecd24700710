import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { addSubscriberAction, pasteSubscribersAction, setSubscriptionsLocaleAction } from "@/app/[locale]/manage/subscriptions/actions";
import { previewImportAction, runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { GET as exportCsv } from "@/app/api/subscriptions/export/route";
import { createGroup } from "@/lib/newsletters/groups";
import { detectColumns } from "@/lib/newsletters/import/columns";
import { parseCsv } from "@/lib/newsletters/import/parse-csv";
import { readImport } from "@/lib/newsletters/import/read";
import { readLanguage } from "@/lib/newsletters/import/cell-words";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { parseSubscriptionFilters, subscriptionQuery, subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

// A subscriber's language (subscriptions.locale): seen and filtered on the group's page, set in
// bulk, chosen when adding, read from an import's language column. Null means "not stated": the
// site's default language applies, so a filter on that language finds those rows too.

let frSite: Site, enSite: Site;
let frAdmin: User, frMember: User, enAdmin: User;
let group: number, other: number, enGroup: number;

const localeOf = async (siteId: number, groupId: number) =>
  Object.fromEntries(
    (await db.select({ email: subscriptions.email, locale: subscriptions.locale }).from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId))).orderBy(asc(subscriptions.email))).map(
      (r) => [r.email, r.locale],
    ),
  );
const seed = (siteId: number, groupId: number, people: [email: string, locale: string | null, status?: "confirmed" | "unconfirmed"][]) =>
  db
    .insert(subscriptions)
    .values(people.map(([email, locale, status = "confirmed"]) => ({ siteId, groupId, email, locale, status, source: "screen" as const })))
    .returning({ id: subscriptions.id, email: subscriptions.email });
const idsOf = (rows: { id: number; email: string }[], ...emails: string[]) => emails.map((e) => rows.find((r) => r.email === e)!.id);

beforeAll(async () => {
  frSite = await makeSite({ domain: "lang-fr.example.org", defaultLocale: "fr" });
  enSite = await makeSite({ domain: "lang-en.example.org", defaultLocale: "en" });
  [frAdmin, frMember, enAdmin] = await Promise.all([makeUser(frSite.id, "admin"), makeUser(frSite.id, "member"), makeUser(enSite.id, "admin")]);
  group = await createGroup(frSite, { fr: "Lettre", en: "Letter" });
  other = await createGroup(frSite, { fr: "Autre", en: "Other" });
  enGroup = await createGroup(enSite, { en: "News" });
});

describe("the group's language filter", () => {
  it("finds the stated language, and the not-stated rows under the site's default language only", async () => {
    const g = await createGroup(frSite, { fr: "Filtre", en: "Filter" });
    await seed(frSite.id, g, [["a-fr@example.org", "fr"], ["b-en@example.org", "en"], ["c-none@example.org", null], ["d-none@example.org", null, "unconfirmed"]]);
    const emails = async (site: Site, groupId: number, f: Parameters<typeof subscriptionsWhere>[2]) =>
      (await listSubscriptions(subscriptionsWhere(site.id, groupId, f, site.defaultCountry, site.defaultLocale))).rows.map((r) => r.email).sort();
    expect(await emails(frSite, g, { lang: "fr" })).toEqual(["a-fr@example.org", "c-none@example.org", "d-none@example.org"]);
    expect(await emails(frSite, g, { lang: "en" })).toEqual(["b-en@example.org"]);
    expect(await emails(frSite, g, { lang: "fr", status: "confirmed" })).toEqual(["a-fr@example.org", "c-none@example.org"]);
    expect(await emails(frSite, g, {})).toHaveLength(4);
    // The rows carry their stored language, null when not stated.
    const page = await listSubscriptions(subscriptionsWhere(frSite.id, g));
    expect(Object.fromEntries(page.rows.map((r) => [r.email, r.locale]))).toEqual({ "a-fr@example.org": "fr", "b-en@example.org": "en", "c-none@example.org": null, "d-none@example.org": null });

    // On a site whose default is English, the rows without a language read English.
    const eg = await createGroup(enSite, { en: "Filter" });
    await seed(enSite.id, eg, [["e-fr@example.org", "fr"], ["f-en@example.org", "en"], ["g-none@example.org", null]]);
    expect(await emails(enSite, eg, { lang: "en" })).toEqual(["f-en@example.org", "g-none@example.org"]);
    expect(await emails(enSite, eg, { lang: "fr" })).toEqual(["e-fr@example.org"]);
  });

  it("travels in the URL: read, kept in the pager's links, and an unknown language named as ignored", () => {
    expect(parseSubscriptionFilters({ lang: "en", status: "confirmed" })).toEqual({ filters: { lang: "en", status: "confirmed" }, invalid: [] });
    expect(parseSubscriptionFilters({ lang: "de", q: "ann" })).toEqual({ filters: { q: "ann" }, invalid: ["lang"] });
    expect(subscriptionQuery({ status: "confirmed", lang: "fr", after: 40 }, { after: 12, page: 2 })).toBe("status=confirmed&lang=fr&after=12&page=2");
  });

  it("the CSV export has the language, last, empty when not stated, and follows the filter", async () => {
    const g = await createGroup(frSite, { fr: "Export", en: "Export" });
    await seed(frSite.id, g, [["x-fr@example.org", "fr"], ["y-en@example.org", "en"], ["z-none@example.org", null]]);
    actAs(frAdmin.id, frSite.domain);
    const csv = async (query: string) => (await exportCsv(new NextRequest(`http://localhost/api/subscriptions/export?group=${g}${query}`))).text();
    const lines = (text: string) => text.replace(/^\uFEFF/, "").trim().split("\r\n");
    const [header, ...body] = lines(await csv(""));
    expect(header.split(",").at(-1)).toBe("language");
    expect(Object.fromEntries(body.map((l) => [l.split(",")[0], l.split(",").at(-1)]))).toEqual({ "x-fr@example.org": "fr", "y-en@example.org": "en", "z-none@example.org": "" });
    // lang=fr is the site's default: the not-stated row reads it, so it is exported too.
    expect(lines(await csv("&lang=fr")).slice(1).map((l) => l.split(",")[0]).sort()).toEqual(["x-fr@example.org", "z-none@example.org"]);
    expect(lines(await csv("&lang=en")).slice(1).map((l) => l.split(",")[0])).toEqual(["y-en@example.org"]);
  });
});

describe("Set language (bulk)", () => {
  it("sets the selected rows of this site and group only, and says how many", async () => {
    const mine = await seed(frSite.id, group, [["s1@example.org", null], ["s2@example.org", "fr"], ["s3@example.org", "fr"], ["s4@example.org", "en", "unconfirmed"]]);
    const [elsewhere] = await seed(frSite.id, other, [["s1@example.org", null]]);
    const [foreign] = await seed(enSite.id, enGroup, [["s1@example.org", "en"]]);
    actAs(frAdmin.id, frSite.domain);
    const done = expectSuccess(await run(setSubscriptionsLocaleAction, { group, locale: "en", ids: [...idsOf(mine, "s1@example.org", "s2@example.org"), elsewhere.id, foreign.id] }));
    expect(done).toMatchObject({ data: { count: 2, locale: "en" } });
    expect(await localeOf(frSite.id, group)).toMatchObject({ "s1@example.org": "en", "s2@example.org": "en", "s3@example.org": "fr", "s4@example.org": "en" });
    expect((await localeOf(frSite.id, other))["s1@example.org"]).toBeNull();
    expect((await localeOf(enSite.id, enGroup))["s1@example.org"]).toBe("en");

    // Back to French, from a form's values (strings), an unconfirmed row too.
    expectSuccess(await run(setSubscriptionsLocaleAction, { group: String(group), locale: "fr", ids: idsOf(mine, "s1@example.org", "s4@example.org").map(String) }));
    expect(await localeOf(frSite.id, group)).toMatchObject({ "s1@example.org": "fr", "s2@example.org": "en", "s4@example.org": "fr" });
  });

  it("is refused to members and to another site's admin, and refuses a language chosen from nowhere or no selection", async () => {
    const rows = await seed(frSite.id, group, [["r1@example.org", "fr"]]);
    const ids = idsOf(rows, "r1@example.org");
    actAs(frMember.id, frSite.domain);
    expectFailure(await run(setSubscriptionsLocaleAction, { group, locale: "en", ids }), "errors.forbidden");
    actAs(enAdmin.id, frSite.domain); // signed in on the other site's host: not an admin here
    expectFailure(await run(setSubscriptionsLocaleAction, { group, locale: "en", ids }), "errors.forbidden");
    actAs(enAdmin.id, enSite.domain); // on their own site, the ids are not theirs
    expect(expectSuccess(await run(setSubscriptionsLocaleAction, { group, locale: "en", ids }))).toMatchObject({ data: { count: 0 } });

    actAs(frAdmin.id, frSite.domain);
    const bad = expectFailure(await run(setSubscriptionsLocaleAction, { group, locale: "de", ids }), "errors.checkFields");
    expect(bad.fieldErrors?.locale).toEqual({ key: "errors.choice" });
    const none = expectFailure(await run(setSubscriptionsLocaleAction, { group, locale: "en", ids: [] }), "errors.checkFields");
    expect(none.fieldErrors?.ids).toEqual({ key: "errors.selectSubscribers" });
    expect((await localeOf(frSite.id, group))["r1@example.org"]).toBe("fr");
  });
});

describe("adding with a language", () => {
  it("one address: the chosen language, else the site's default; an address already there keeps its own", async () => {
    actAs(frAdmin.id, frSite.domain);
    expect(expectSuccess(await run(addSubscriberAction, { group, email: "add-en@example.org", name: "", language: "en" }))).toMatchObject({ data: { outcome: "added", language: "en" } });
    expectSuccess(await run(addSubscriberAction, { group, email: "add-default@example.org", name: "" }));
    actAs(enAdmin.id, enSite.domain);
    expectSuccess(await run(addSubscriberAction, { group: enGroup, email: "add-default@example.org", name: "" }));
    expect((await localeOf(frSite.id, group))["add-en@example.org"]).toBe("en");
    expect((await localeOf(frSite.id, group))["add-default@example.org"]).toBe("fr");
    expect((await localeOf(enSite.id, enGroup))["add-default@example.org"]).toBe("en");

    // Given again with a number (the form's way to set one) and another language: the
    // language stays the one it had (perhaps the person's own choice); "Set language" changes it.
    actAs(frAdmin.id, frSite.domain);
    expectSuccess(await run(addSubscriberAction, { group, email: "add-en@example.org", name: "", phone: "06 12 34 56 78", language: "fr" }));
    expect((await localeOf(frSite.id, group))["add-en@example.org"]).toBe("en");

    // A language the app does not speak: refused on its field, with what was typed kept.
    const bad = expectFailure(await run(addSubscriberAction, { group, email: "add-bad@example.org", name: "Kept", language: "de" }), "errors.checkFields");
    expect(bad.fieldErrors?.language).toEqual({ key: "errors.choice" });
    expect(bad.values).toMatchObject({ email: "add-bad@example.org", name: "Kept", language: "de" });
    expect(await localeOf(frSite.id, group)).not.toHaveProperty("add-bad@example.org");
  });

  it("pasted addresses: every new one reads the chosen language, handed back for the entries left in the box", async () => {
    await seed(frSite.id, group, [["paste-old@example.org", null]]);
    actAs(frAdmin.id, frSite.domain);
    const done = expectSuccess(await run(pasteSubscribersAction, { group, addresses: "paste-1@example.org\npaste-2@example.org\npaste-old@example.org\nnot an address", language: "en" }));
    expect(done).toMatchObject({ data: { added: 2, already: 1, invalid: ["not an address"], language: "en" } });
    expect(await localeOf(frSite.id, group)).toMatchObject({ "paste-1@example.org": "en", "paste-2@example.org": "en", "paste-old@example.org": null });
    expectSuccess(await run(pasteSubscribersAction, { group, addresses: "paste-3@example.org" }));
    expect((await localeOf(frSite.id, group))["paste-3@example.org"]).toBe("fr");
    const bad = expectFailure(await run(pasteSubscribersAction, { group, addresses: "paste-4@example.org", language: "" }), "errors.checkFields");
    expect(bad.values).toMatchObject({ addresses: "paste-4@example.org" });
  });
});

describe("CSV import: the language column", () => {
  it("recognises the values people write, whatever the case", () => {
    for (const v of ["fr", "FR", "Français", "FRANÇAIS", "francais", "French", "fr-CA", "fr_FR"]) expect(readLanguage(v), v).toBe("fr");
    for (const v of ["en", "EN", "English", "english", "Anglais", "ANGLAIS", "en-GB", "en_US"]) expect(readLanguage(v), v).toBe("en");
    for (const v of ["de", "Deutsch", "f", "e", "fra-ca", "frenglish", "1"]) expect(readLanguage(v), v).toBeNull();
  });

  it("finds the column by its header's name, and reads no language without one", () => {
    const cols = (text: string) => detectColumns(parseCsv(text, ";").records);
    for (const h of ["Language", "langue", "LOCALE", "Lang"]) expect(cols(`email;${h}\na@b.org;fr`), h).toMatchObject({ email: 0, language: 1, labels: { language: h } });
    expect(cols("email;name\na@b.org;Ann")).toMatchObject({ language: null, labels: { language: null } });
    // A duplicate gives its language to the first row when it has none (as a name or a phone).
    const { rows } = readImport("email;langue\nd@b.org;\nd@b.org;anglais\n", "auto", "FR");
    expect(rows.map((r) => [r.line, r.locale, r.problem])).toEqual([
      [2, "en", null],
      [3, "en", "duplicate"],
    ]);
  });

  it("imports each row's language, the form's for empty cells, and refuses an unrecognised one by line in the preview and the report", async () => {
    const g = await createGroup(frSite, { fr: "Import", en: "Import" });
    await seed(frSite.id, g, [["imp-old@example.org", "fr"]]);
    actAs(frAdmin.id, frSite.domain);
    const csv = ["email;name;Langue", "imp-a@example.org;A;Français", "imp-b@example.org;B;english", "imp-c@example.org;C;", "imp-d@example.org;D;klingon", "imp-old@example.org;Old;en"].join("\n");
    const input = { group: g, csv, status: "confirmed", locale: "en", language: "en" };

    const preview = expectSuccess(await run(previewImportAction, input)) as { data: { columns: { language: number | null; labels: { language: string | null } }; rows: { line: number; locale: string | null; problem: string | null; refused: boolean }[] } };
    expect(preview.data.columns).toMatchObject({ language: 2, labels: { language: "Langue" } });
    expect(preview.data.rows.map((r) => [r.line, r.locale, r.problem, r.refused])).toEqual([
      [2, "fr", null, false],
      [3, "en", null, false],
      [4, null, null, false],
      [5, null, "invalidLanguage", true],
      [6, "en", null, false],
    ]);
    expect(await localeOf(frSite.id, g)).toEqual({ "imp-old@example.org": "fr" }); // a preview writes nothing

    const report = (expectSuccess(await run(runImportAction, input)) as { data: { added: number; already: number; refused: { line: number; reason: string }[]; csv: string } }).data;
    expect(report).toMatchObject({ added: 3, already: 1 });
    expect(report.refused.map((r) => [r.line, r.reason])).toEqual([[5, "invalidLanguage"]]);
    // The refused rows' file keeps the value as typed, under a header the import reads back.
    expect(report.csv.split("\r\n").slice(0, 2)).toEqual(["\uFEFFLine,Email,Name,Mobile number,Language,Status,Problem", '5,imp-d@example.org,D,,klingon,,"Language not recognised: klingon (write fr, en, français or English)"']);
    expect(await localeOf(frSite.id, g)).toEqual({
      "imp-a@example.org": "fr",
      "imp-b@example.org": "en",
      "imp-c@example.org": "en", // the empty cell: the form's language
      "imp-old@example.org": "fr", // already in the group: keeps its own
    });

    // The report reads in French too.
    const fr = (expectSuccess(await run(runImportAction, { ...input, locale: "fr" })) as { data: { csv: string } }).data;
    expect(fr.csv.split("\r\n")[1]).toBe("5;imp-d@example.org;D;;klingon;;Langue non reconnue\u202f: klingon (écrivez fr, en, français ou anglais)");
  });

  it("without a language column, every new address reads the import's chosen language, else the site's", async () => {
    const g = await createGroup(frSite, { fr: "Sans", en: "Without" });
    actAs(frAdmin.id, frSite.domain);
    expectSuccess(await run(runImportAction, { group: g, csv: "email;name\nno-1@example.org;One\nno-2@example.org;Two", status: "confirmed", locale: "fr", language: "en" }));
    expectSuccess(await run(runImportAction, { group: g, csv: "email\nno-3@example.org", status: "confirmed", locale: "en" }));
    expect(await localeOf(frSite.id, g)).toEqual({ "no-1@example.org": "en", "no-2@example.org": "en", "no-3@example.org": "fr" });
    const bad = expectFailure(await run(runImportAction, { group: g, csv: "email\nno-4@example.org", status: "confirmed", locale: "en", language: "de" }), "errors.checkFields");
    expect(bad.fieldErrors?.language).toEqual({ key: "errors.choice" });
  });
});

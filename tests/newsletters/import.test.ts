import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriberKeys, subscriptions, type Site, type User } from "@/db/schema";
import { previewImportAction, runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { createGroup } from "@/lib/newsletters/groups";
import { detectColumns } from "@/lib/newsletters/import/columns";
import { detectDelimiter, parseCsv } from "@/lib/newsletters/import/parse-csv";
import { MAX_CSV_BYTES } from "@/lib/newsletters/import-limits";
import { readImport } from "@/lib/newsletters/import/read";
import { subscriptionsCsvStream } from "@/lib/newsletters/subscriptions/csv";
import { subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

let site: Site, other: Site;
let admin: User, member: User, otherAdmin: User;
let group: number;

const rowsOf = (groupId: number) =>
  db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, groupId))).orderBy(asc(subscriptions.email));

beforeAll(async () => {
  site = await makeSite({ domain: "import.example.org" });
  other = await makeSite({ domain: "other.example.org" });
  [admin, member, otherAdmin] = await Promise.all([makeUser(site.id, "admin"), makeUser(site.id, "member"), makeUser(other.id, "admin")]);
  group = await createGroup(site, { fr: "Lettre", en: "Letter" });
});

describe("CSV parsing", () => {
  it("reads quotes, doubled quotes, line breaks in quotes, CRLF, CR and a BOM, with each record's first line", () => {
    const text = '\uFEFFa;"b;c"\r\n"say ""hi""";x\r\n\r\n"two\r\nlines";y\rlast;"z"';
    expect(parseCsv(text, ";")).toEqual({
      records: [
        { line: 1, cells: ["a", "b;c"] },
        { line: 2, cells: ['say "hi"', "x"] },
        { line: 4, cells: ["two\r\nlines", "y"] },
        { line: 6, cells: ["last", "z"] },
      ],
      unclosed: null,
    });
    expect(parseCsv('a,b\n"open,c\nd,e\n', ",")).toEqual({ records: [{ line: 1, cells: ["a", "b"] }, { line: 2, cells: ["open,c\nd,e\n"] }], unclosed: 2 });
    expect(parseCsv('x@y.org,O"Brien', ",").records[0].cells).toEqual(["x@y.org", 'O"Brien']); // a stray quote is text
  });

  it("detects the separator, ignoring quoted ones; a tie goes to the semicolon", () => {
    expect(detectDelimiter("email,name\na@b.org,A\n")).toBe(",");
    expect(detectDelimiter('email;name\na@b.org;"Smith, John"\n')).toBe(";");
    expect(detectDelimiter("a@b.org;Dupont, Jean\n")).toBe(";");
    expect(detectDelimiter("email\tname\na@b.org\tA\n")).toBe("\t");
  });

  it("finds the columns by header name, or by content without a header", () => {
    const cols = (text: string) => detectColumns(parseCsv(text, ";").records);
    expect(cols("Nom;Prénom;E-mail\nDupont;Jean;j@d.org")).toMatchObject({ header: true, email: 2, name: [1, 0], labels: { email: "E-mail", name: "Prénom + Nom" } });
    expect(cols("Courriel;Nom\nj@d.org;Jean")).toMatchObject({ header: true, email: 0, name: [1] });
    expect(cols("Full name;Email address\nJean;j@d.org")).toMatchObject({ header: true, email: 1, name: [0] });
    expect(cols("Jean;j@d.org\nAnne;a@d.org")).toMatchObject({ header: false, email: 1, name: [0], labels: { email: "#2", name: "#1" } });
    expect(cols("Contact;Société\nj@d.org;ACME")).toMatchObject({ header: true, email: 0, name: [] });
    expect(cols("a;b\nc;d")).toMatchObject({ email: null });
    // A phone column only by its header's name; never guessed from digits.
    expect(cols("Email;Nom;Téléphone\nj@d.org;Jean;0612345678")).toMatchObject({ email: 0, name: [1], phone: 2, labels: { phone: "Téléphone" } });
    expect(cols("mobile;e-mail\n0612345678;j@d.org")).toMatchObject({ email: 1, phone: 0, name: [] });
    expect(cols("Courriel;Nom\nj@d.org;Jean")).toMatchObject({ phone: null, labels: { phone: null } });
    expect(cols("j@d.org;0612345678\na@d.org;0698765432")).toMatchObject({ header: false, phone: null });
  });

  it("finds a phone column however people (and this application) name it, mobile first", () => {
    const phoneOf = (header: string) => detectColumns(parseCsv(`email;${header}\nj@d.org;0612345678`, ";").records).phone;
    const names = [
      "Mobile number", "Numéro de mobile", "Numéro de portable", "NUMERO DE PORTABLE", "numéro  de   portable", "Mobile number (optional)",
      "Numéro de mobile (facultatif)", "mobile phone", "Mobile-Phone", "téléphone portable", "Téléphone mobile", "Tél. portable", "portable",
      "Portable", "cell", "Cell phone", "cell number", "phone number", "Phone", "Téléphone", "Tel", "Tél.", "N° de portable", "N° de téléphone",
      "Numéro de téléphone", "GSM", "mobile_phone_number", "phone", // the last one: our export's own header
    ];
    expect(names.filter((n) => phoneOf(n) !== 1)).toEqual([]);
    for (const other of ["Numéro", "Number", "Ville", "Code postal", "Customer number", "Nom", "SMS"]) expect(phoneOf(other)).toBeNull();
    // A landline column and a mobile one: the mobile one, wherever it is.
    expect(detectColumns(parseCsv("Téléphone;email;Portable\n0123456789;j@d.org;0612345678", ";").records)).toMatchObject({ email: 1, phone: 2, labels: { phone: "Portable" } });
    expect(detectColumns(parseCsv("Mobile number;Phone;email\n0612345678;0123456789;j@d.org", ";").records)).toMatchObject({ phone: 0 });
    const named = readImport("Ann Example <ANN@example.org>\nbob@example.org", "auto", "FR").rows;
    expect(named.map((r) => [r.email, r.name])).toEqual([["ann@example.org", "Ann Example"], ["bob@example.org", ""]]);
  });
});

// Lines: 1 header, 2 good, 3 good (quoted), 4 invalid, 5 blank, 6 duplicate of 2, 7 no email,
// 8–9 good (a name on two lines), 10 good, 11 unsubscribed, 12 suppressed, 13 waiting → confirmed,
// 14 already confirmed, 15 duplicate of 3 whose name fills line 3's empty one.
const CSV = [
  "\uFEFFCourriel;Nom",
  "ann@example.org;Ann",
  '"Bob@Example.org";""',
  "not-an-email;=cmd()",
  "",
  "ANN@example.org;Ann again",
  ";No email",
  '"carl@example.org";"Carl',
  'Second line"',
  "dan@example.org",
  "gone@example.org;Gone",
  "never@example.org;Never",
  "wait@example.org;Wait",
  "old@example.org;Old",
  'bob@example.org;"Bob ""B"" Smith"',
].join("\r\n");

describe("CSV import", () => {
  it("A CSV with good, duplicate and malformed rows imports the good ones and reports the others by line", async () => {
    const longAgo = new Date("2020-01-01T00:00:00Z");
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: group, email: "gone@example.org", source: "signup", status: "unsubscribed", unsubscribedAt: longAgo },
      { siteId: site.id, groupId: group, email: "wait@example.org", source: "signup", status: "unconfirmed" },
      { siteId: site.id, groupId: group, email: "old@example.org", source: "signup", status: "confirmed", confirmedAt: longAgo, name: "Old name" },
    ]);
    await db.insert(subscriberKeys).values({ siteId: site.id, email: "never@example.org", token: "n".repeat(40), suppressedAt: longAgo });
    actAs(admin.id, site.domain);
    const input = { group: String(group), csv: CSV, delimiter: "auto", status: "confirmed", fileName: "list.csv", locale: "en" };

    const before = await rowsOf(group);
    const preview = expectSuccess(await run(previewImportAction, input));
    if (!("data" in preview)) throw new Error("no preview");
    const p = preview.data as Awaited<ReturnType<typeof import("@/lib/newsletters/import/preview").previewImport>>;
    expect(await rowsOf(group)).toEqual(before); // a preview writes nothing
    expect(p).toMatchObject({ delimiter: "semicolon", columns: { header: true, labels: { email: "Courriel", name: "Nom" } }, total: 12, hidden: 0 });
    // The duplicates (6, 15) are merged into lines 2 and 3: counted apart, not among the refused.
    expect(p.counts).toEqual({ added: 4, confirmed: 1, already: 1, unsubscribed: 1, suppressed: 1, erased: 0, erasedPhone: 0, problems: 2, merged: 2 });
    expect(p.rows.filter((r) => r.refused).map((r) => r.line)).toEqual([4, 7, 11, 12]);
    expect(p.rows.map((r) => [r.line, r.email, r.problem ?? r.outcome])).toEqual([
      [2, "ann@example.org", "added"],
      [3, "bob@example.org", "added"],
      [4, "not-an-email", "invalidEmail"],
      [6, "ann@example.org", "duplicate"],
      [7, "", "missingEmail"],
      [8, "carl@example.org", "added"],
      [10, "dan@example.org", "added"],
      [11, "gone@example.org", "unsubscribed"],
      [12, "never@example.org", "suppressed"],
      [13, "wait@example.org", "confirmed"],
      [14, "old@example.org", "already"],
      [15, "bob@example.org", "duplicate"],
    ]);
    expect(p.rows.find((r) => r.line === 3)?.name).toBe('Bob "B" Smith');
    expect(p.rows.find((r) => r.line === 6)?.duplicateOf).toBe(2);

    const outcome = expectSuccess(await run(runImportAction, input));
    if (!("data" in outcome)) throw new Error("no report");
    const report = outcome.data as { added: number; confirmed: number; already: number; refused: { line: number; reason: string }[]; csv: string };
    expect(report).toMatchObject({ added: 4, confirmed: 1, already: 1, merged: 2 });
    expect(report.refused.map((r) => [r.line, r.reason])).toEqual([
      [4, "invalidEmail"],
      [7, "missingEmail"],
      [11, "unsubscribed"],
      [12, "suppressed"],
    ]);
    // The refused rows' file is corrected and imported again: a merged duplicate has no place in it.
    expect(report.csv.split("\r\n").slice(0, 3)).toEqual([
      "\uFEFFLine,Email,Name,Mobile number,Language,Status,Problem",
      "4,not-an-email,'=cmd(),,,,Not a valid email address",
      "7,,No email,,,,No email address",
    ]);
    expect(report.csv).not.toContain("Duplicate");

    const after = await rowsOf(group);
    expect(after.map((s) => [s.email, s.status, s.source, s.name])).toEqual([
      ["ann@example.org", "confirmed", "import", "Ann"],
      ["bob@example.org", "confirmed", "import", 'Bob "B" Smith'],
      ["carl@example.org", "confirmed", "import", "Carl Second line"],
      ["dan@example.org", "confirmed", "import", ""],
      ["gone@example.org", "unsubscribed", "signup", ""], // stays unsubscribed
      ["old@example.org", "confirmed", "signup", "Old name"],
      ["wait@example.org", "confirmed", "signup", "Wait"], // was waiting: confirmed now, name filled in
    ]);
    const ann = after.find((s) => s.email === "ann@example.org")!;
    expect(ann.consentText).toBe(`imported by ${admin.email} from list.csv`);
    expect(ann.confirmedAt).not.toBeNull();
    expect(after.find((s) => s.email === "old@example.org")!.confirmedAt).toEqual(longAgo);
    expect(after.find((s) => s.email === "gone@example.org")!.unsubscribedAt).toEqual(longAgo);
  });

  it("imports as unconfirmed without touching confirmed addresses", async () => {
    actAs(admin.id, site.domain);
    const outcome = expectSuccess(await run(runImportAction, { group, csv: "email,name\nold@example.org,X\nnew@example.org,New", status: "unconfirmed", locale: "fr" }));
    expect(outcome).toMatchObject({ data: { added: 1, already: 1, refused: [], csv: null } });
    const rows = await rowsOf(group);
    expect(rows.find((s) => s.email === "new@example.org")).toMatchObject({ status: "unconfirmed", confirmedAt: null, source: "import" });
    expect(rows.find((s) => s.email === "old@example.org")).toMatchObject({ status: "confirmed", name: "Old name" });
  });

  it("answers malformed input with translated field errors and writes nothing", async () => {
    actAs(admin.id, site.domain);
    const before = await rowsOf(group);
    const base = { group, status: "confirmed", locale: "en" };
    for (const act of [previewImportAction, runImportAction]) {
      expect(expectFailure(await run(act, { ...base, csv: "Courriel;Nom\n" })).fieldErrors?.csv).toEqual({ key: "errors.csvEmpty" });
      expect(expectFailure(await run(act, { ...base, csv: "a;b\nc;d" })).fieldErrors?.csv).toEqual({ key: "errors.csvNoEmailColumn" });
      expect(expectFailure(await run(act, { ...base, csv: "x".repeat(MAX_CSV_BYTES + 1) })).fieldErrors?.csv.key).toBe("errors.csvTooBig");
      // Under MAX_CSV_BYTES, but six times larger once escaped in the action's body (\u0001 each).
      expect(expectFailure(await run(act, { ...base, csv: `Email\n${"\u0001".repeat(400_000)}` })).fieldErrors?.csv.key).toBe("errors.csvTooBig");
      expect(expectFailure(await run(act, { ...base, csv: "" })).fieldErrors?.csv).toEqual({ key: "errors.required" });
      const bad = expectFailure(await run(act, { ...base, csv: "a@b.org", status: "maybe", delimiter: "|" }), "errors.checkFields");
      expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["delimiter", "status"]);
      expect(bad.values).toMatchObject({ csv: "a@b.org" });
      expectFailure(await run(act, { ...base, group: 424242, csv: "a@b.org" }), "errors.groupNotFound");
      expectFailure(await run(act, { ...base, csv: "a@b.org\u0000" }), "errors.checkFields");
    }
    expect(await rowsOf(group)).toEqual(before);
  });

  it("refuses members and other sites' admins", async () => {
    const before = await rowsOf(group);
    for (const user of [member, otherAdmin]) {
      actAs(user.id, site.domain);
      for (const act of [previewImportAction, runImportAction]) {
        expectFailure(await run(act, { group, csv: "intruder@example.org", status: "confirmed", locale: "en" }), "errors.forbidden");
      }
    }
    // On their own site, another admin cannot reach this site's group.
    actAs(otherAdmin.id, other.domain);
    expectFailure(await run(runImportAction, { group, csv: "intruder@example.org", status: "confirmed", locale: "en" }), "errors.groupNotFound");
    expect(await rowsOf(group)).toEqual(before);
    expect(await db.select().from(subscriptions).where(eq(subscriptions.email, "intruder@example.org"))).toEqual([]);
  });
});

describe("CSV import with a phone column", () => {
  const phones = async (groupId: number) => Object.fromEntries((await rowsOf(groupId)).map((s) => [s.email, [s.status, s.phone]]));

  it("stores national numbers in E.164, refuses a row with an invalid one by line, and updates the number of addresses already there", async () => {
    const tel = await createGroup(site, { fr: "SMS", en: "SMS" });
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: tel, email: "old@example.org", source: "signup", status: "confirmed", phone: "+33611111111" },
      { siteId: site.id, groupId: tel, email: "keep@example.org", source: "signup", status: "confirmed", phone: "+33622222222" },
      { siteId: site.id, groupId: tel, email: "gone@example.org", source: "signup", status: "unsubscribed" },
      { siteId: site.id, groupId: tel, email: "same@example.org", source: "signup", status: "confirmed", phone: "+33644444444" },
    ]);
    // Lines: 2 new with a national number, 3 invalid number, 4 already there (new number),
    // 5 already there (empty cell: number kept), 6 new without a number, 7 duplicate of 6 giving
    // it a number, 8 unsubscribed (left as it is), 9 already there with the number it has.
    const csv = [
      "email;name;Téléphone",
      "new@example.org;New;06 12 34 56 78",
      "bad@example.org;Bad;06 12",
      "old@example.org;;+33 7 81 23 45 67",
      "keep@example.org;Keep;",
      "none@example.org;None;",
      "none@example.org;;0698765432",
      "gone@example.org;Gone;0633333333",
      "same@example.org;;06 44 44 44 44",
    ].join("\n");
    actAs(admin.id, site.domain);
    const input = { group: tel, csv, status: "confirmed", locale: "en" };

    const preview = expectSuccess(await run(previewImportAction, input));
    const p = (preview as { data: Awaited<ReturnType<typeof import("@/lib/newsletters/import/preview").previewImport>> }).data;
    expect(p).toMatchObject({ columns: { phone: 2, labels: { phone: "Téléphone" } }, total: 8, phones: 1 });
    expect(p.counts).toEqual({ added: 2, confirmed: 0, already: 3, unsubscribed: 1, suppressed: 0, erased: 0, erasedPhone: 0, problems: 1, merged: 1 });
    // Read numbers are shown as every screen shows them; a refused one as typed.
    expect(p.rows.slice(0, 3).map((r) => r.shownPhone)).toEqual(["+33 6 12 34 56 78", "06 12", "+33 7 81 23 45 67"]);
    expect(p.rows.map((r) => [r.line, r.phone, r.problem ?? r.outcome, r.newPhone])).toEqual([
      [2, "+33612345678", "added", false],
      [3, "06 12", "invalidPhone", false],
      [4, "+33781234567", "already", true],
      [5, null, "already", false],
      [6, "+33698765432", "added", false], // took its duplicate's number
      [7, "+33698765432", "duplicate", false],
      [8, "+33633333333", "unsubscribed", false],
      [9, "+33644444444", "already", false],
    ]);

    const outcome = expectSuccess(await run(runImportAction, input));
    const report = (outcome as { data: { added: number; already: number; phones: number; refused: { line: number; reason: string }[]; csv: string } }).data;
    expect(report).toMatchObject({ added: 2, confirmed: 0, already: 3, merged: 1, phones: 1 });
    expect(report.refused.map((r) => [r.line, r.reason])).toEqual([[3, "invalidPhone"], [8, "unsubscribed"]]);
    expect(report.csv.split("\r\n").slice(1, 3)).toEqual([
      "3,bad@example.org,Bad,06 12,,,Not a valid mobile number: 06 12", // the number as typed
      "8,gone@example.org,Gone,0633333333,,,Unsubscribed from this group: left unsubscribed",
    ]);
    expect(await phones(tel)).toEqual({
      "gone@example.org": ["unsubscribed", null],
      "keep@example.org": ["confirmed", "+33622222222"],
      "new@example.org": ["confirmed", "+33612345678"],
      "none@example.org": ["confirmed", "+33698765432"],
      "old@example.org": ["confirmed", "+33781234567"],
      "same@example.org": ["confirmed", "+33644444444"],
    });

    // The refusal reads in French too, in a file French Excel opens in columns (semicolons).
    const fr = expectSuccess(await run(runImportAction, { ...input, locale: "fr", csv: "email;mobile\nbad@example.org;12" }));
    expect((fr as { data: { csv: string } }).data.csv.split("\r\n").slice(0, 2)).toEqual(["\uFEFFLigne;Email;Nom;Numéro de mobile;Langue;Statut;Problème", "2;bad@example.org;;12;;;Numéro de mobile non valide\u202f: 12"]);
    expect(await phones(tel)).not.toHaveProperty("bad@example.org");

    // Without the column, numbers are left as they are.
    expectSuccess(await run(runImportAction, { ...input, csv: "email;name\nold@example.org;Old\nkeep@example.org;" }));
    expect((await phones(tel))["old@example.org"]).toEqual(["confirmed", "+33781234567"]);
  });

  it("counts a number that replaces the one an address new to the group has in another group", async () => {
    const first = await createGroup(site, { fr: "Premier", en: "First" });
    const second = await createGroup(site, { fr: "Second", en: "Second" });
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: first, email: "moved@example.org", source: "signup", status: "confirmed", phone: "+33611111111" },
      { siteId: site.id, groupId: first, email: "kept@example.org", source: "signup", status: "confirmed", phone: "+33622222222" },
    ]);
    actAs(admin.id, site.domain);
    const input = { group: second, csv: "email;mobile\nmoved@example.org;0699999999\nkept@example.org;0622222222\nfresh@example.org;0633333333", status: "confirmed", locale: "en" };
    const preview = expectSuccess(await run(previewImportAction, input));
    const p = (preview as { data: Awaited<ReturnType<typeof import("@/lib/newsletters/import/preview").previewImport>> }).data;
    expect(p.phones).toBe(1);
    expect(p.rows.map((r) => [r.email, r.outcome, r.newPhone])).toEqual([
      ["moved@example.org", "added", true],
      ["kept@example.org", "added", false],
      ["fresh@example.org", "added", false],
    ]);
    const outcome = expectSuccess(await run(runImportAction, input));
    expect((outcome as { data: { added: number; phones: number } }).data).toMatchObject({ added: 3, phones: 1 });
    expect((await phones(first))["moved@example.org"]).toEqual(["confirmed", "+33699999999"]);
  });

  it("gives the refused rows back as a file that, corrected, imports with its numbers", async () => {
    const tel = await createGroup(site, { fr: "Corrigés", en: "Corrected" });
    const csv = ["Courriel;Nom;Numéro de portable", "short@example.org;Short;06 12", "not-an-address;Typo;06 21 22 23 24", "fine@example.org;Fine;+33 6 31 32 33 34"].join("\n");
    actAs(admin.id, site.domain);
    for (const locale of ["en", "fr"] as const) {
      const first = expectSuccess(await run(runImportAction, { group: tel, csv, status: "confirmed", locale }));
      const refusedFile = (first as { data: { csv: string } }).data.csv;
      const { columns, rows } = readImport(refusedFile, "auto", "FR");
      expect(columns).toMatchObject({ header: true, labels: { email: "Email", phone: locale === "en" ? "Mobile number" : "Numéro de mobile" } });
      expect(rows.map((r) => [r.email, r.name, r.typedPhone])).toEqual([
        ["short@example.org", "Short", "06 12"],
        ["not-an-address", "Typo", "06 21 22 23 24"],
      ]);
      // The person corrects the number of one row and the address of the other, and imports the file again.
      const corrected = refusedFile.replace(/([,;])06 12\1/, "$106 12 34 56 78$1").replace("not-an-address", `typo-${locale}@example.org`);
      const again = expectSuccess(await run(runImportAction, { group: tel, csv: corrected, status: "confirmed", locale }));
      expect(again).toMatchObject({ data: { refused: [], csv: null } });
    }
    expect(await phones(tel)).toEqual({
      "fine@example.org": ["confirmed", "+33631323334"],
      "short@example.org": ["confirmed", "+33612345678"],
      "typo-en@example.org": ["confirmed", "+33621222324"],
      "typo-fr@example.org": ["confirmed", "+33621222324"],
    });
  });

  it("reads national numbers in the importing site's country", async () => {
    const be = await makeSite({ domain: "be.example.org", defaultCountry: "BE" });
    const beAdmin = await makeUser(be.id, "admin");
    const beGroup = await createGroup(be, { fr: "Nouvelles", en: "News" });
    actAs(beAdmin.id, be.domain);
    expectSuccess(await run(runImportAction, { group: beGroup, csv: "email,phone\nan@example.be,0470 12 34 56", status: "confirmed", locale: "fr" }));
    const [row] = await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, be.id), eq(subscriptions.groupId, beGroup)));
    expect(row).toMatchObject({ email: "an@example.be", phone: "+32470123456" }); // on a French site: +33470123456
  });
});

describe("CSV export, imported back", () => {
  const exported = async (groupId: number) => {
    const reader = subscriptionsCsvStream(subscriptionsWhere(site.id, groupId)).getReader();
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    return text;
  };

  it("reads back every number, name and address the export wrote, guarded cells included", async () => {
    const from = await createGroup(site, { fr: "Export", en: "Export" });
    const to = await createGroup(site, { fr: "Réimport", en: "Reimport" });
    const people = [
      { email: "num1@example.org", name: "Ann", phone: "+33621222324" },
      { email: "num2@example.org", name: "-Bob-", phone: "+32470123456" },
      { email: "num3@example.org", name: "=Carl", phone: "+33781234567" },
      { email: "num4@example.org", name: "@dan", phone: null },
      { email: "num5@example.org", name: "'+kept as typed", phone: "+33698765432" },
    ];
    await db.insert(subscriptions).values(people.map((p) => ({ siteId: site.id, groupId: from, source: "signup" as const, status: "confirmed" as const, ...p })));
    const text = await exported(from);
    expect(text).toContain("'+33621222324"); // still defused for spreadsheets
    expect(text).toContain("''+kept as typed"); // its own apostrophe survives the way back

    const { columns, rows } = readImport(text, "auto", "FR");
    expect(columns).toMatchObject({ header: true, labels: { email: "email", name: "name", phone: "phone" } });
    expect(rows.filter((r) => r.problem)).toEqual([]);
    const byEmail = (list: { email: string; name: string; phone: string | null }[]) => Object.fromEntries(list.map((r) => [r.email, [r.name, r.phone]]));
    expect(byEmail(rows)).toEqual(byEmail(people));

    actAs(admin.id, site.domain);
    const outcome = expectSuccess(await run(runImportAction, { group: to, csv: text, status: "confirmed", locale: "en" }));
    expect(outcome).toMatchObject({ data: { added: people.length, refused: [], csv: null } });
    expect(byEmail(await rowsOf(to))).toEqual(byEmail(people));
  });
});

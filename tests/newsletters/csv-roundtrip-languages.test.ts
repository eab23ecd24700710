import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { GET as exportSubscriptions } from "@/app/api/subscriptions/export/route";
import { removeOverride, setOverride } from "@/lib/i18n/overrides";
import { createGroup } from "@/lib/newsletters/groups";
import { readImport } from "@/lib/newsletters/import/read";
import { signup } from "@/lib/newsletters/signup";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run } from "../helpers/actions";

/**
 * A group's export from a French screen has French headers ("Adresse e-mail", "Statut"…) and
 * French statuses ("Désabonné", "Non confirmé"); from an English screen, English ones. Imported
 * back (into the group or another), each must refuse the same people the stable file refuses:
 * those who unsubscribed, and, imported as confirmed, those who never confirmed.
 */
let site: Site;
let admin: User;
let group: number;

type Report = { data: { refused: { email: string; reason: string }[]; csv: string | null } };
const statusOf = async (groupId: number) =>
  Object.fromEntries(
    (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, groupId))).orderBy(asc(subscriptions.email))).map((s) => [s.email, [s.status, s.locale]]),
  );
async function exported(locale: "fr" | "en") {
  actAs(admin.id, site.domain);
  return (await exportSubscriptions(new NextRequest(`http://localhost/api/subscriptions/export?group=${group}&csv=${locale}`))).text();
}
async function imported(csv: string, status: "confirmed" | "unconfirmed", locale: "fr" | "en") {
  const into = await createGroup(site, { fr: `Copie ${Math.random()}`, en: `Copy ${Math.random()}` });
  actAs(admin.id, site.domain);
  const report = (expectSuccess(await run(runImportAction, { group: into, csv, status, locale })) as Report).data;
  return { into, report, refused: report.refused.map((r) => [r.email, r.reason]).sort() };
}

beforeAll(async () => {
  site = await makeSite({ domain: "roundtrip-languages.example.org" });
  admin = await makeUser(site.id, "admin");
  group = await createGroup(site, { fr: "Lettre", en: "Letter" });
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: group, email: "ann@example.org", name: "Ann", source: "signup", status: "confirmed", confirmedAt: new Date(), locale: "en", localeSetAt: new Date() },
    { siteId: site.id, groupId: group, email: "gone@example.org", name: "Gone", source: "signup", status: "unsubscribed", unsubscribedAt: new Date() },
  ]);
  // Typed into the public form by someone; the confirmation link was never clicked.
  await signup(site, { email: "typed@example.org", groupIds: [group], locale: "fr", ip: "203.0.113.7", userAgent: "x", consentText: "Oui" });
});

describe.each([
  { locale: "fr" as const, header: /^\uFEFF?Adresse e-mail;Nom;Statut;/, unsubscribed: ";Désabonné;", unconfirmed: ";Non confirmé;" },
  { locale: "en" as const, header: /^\uFEFF?Email address,Name,Status,/, unsubscribed: ",Unsubscribed,", unconfirmed: ",Unconfirmed," },
])("a group's export from a screen in $locale, imported back", ({ locale, header, unsubscribed, unconfirmed }) => {
  it("is written in that language", async () => {
    const text = await exported(locale);
    expect(text).toMatch(header);
    expect(text.split("\r\n").find((l) => l.startsWith("gone@"))).toContain(unsubscribed);
    expect(text.split("\r\n").find((l) => l.startsWith("typed@"))).toContain(unconfirmed);
  });

  it("as confirmed, refuses who unsubscribed and who never confirmed; takes the rest with the file's language", async () => {
    // From either screen: the file says who the people are, whichever language reads it.
    for (const reader of ["fr", "en"] as const) {
      const { into, refused } = await imported(await exported(locale), "confirmed", reader);
      expect(refused).toEqual([
        ["gone@example.org", "unsubscribedInFile"],
        ["typed@example.org", "unconfirmedInFile"],
      ]);
      expect(await statusOf(into)).toEqual({ "ann@example.org": ["confirmed", "en"] });
    }
  });

  it("as unconfirmed, refuses who unsubscribed only", async () => {
    const { into, refused } = await imported(await exported(locale), "unconfirmed", locale);
    expect(refused).toEqual([["gone@example.org", "unsubscribedInFile"]]);
    expect(Object.keys(await statusOf(into))).toEqual(["ann@example.org", "typed@example.org"]);
  });

  it("into the same group, changes nobody's status; its refused rows' file is refused again", async () => {
    actAs(admin.id, site.domain);
    const { data } = expectSuccess(await run(runImportAction, { group, csv: await exported(locale), status: "confirmed", locale })) as Report;
    expect(await statusOf(group)).toEqual({ "ann@example.org": ["confirmed", "en"], "gone@example.org": ["unsubscribed", null], "typed@example.org": ["unconfirmed", "fr"] });
    const again = await imported(data.csv!, "confirmed", locale);
    expect(again.refused).toEqual([
      ["gone@example.org", "unsubscribedInFile"],
      ["typed@example.org", "unconfirmedInFile"],
    ]);
  });
});

describe("a French export", () => {
  it("with a postal address column added before its own, still reads the addresses from « Adresse e-mail »", async () => {
    const lines = (await exported("fr")).replace(/^\uFEFF?/, "").split("\r\n").filter(Boolean);
    const withPostal = lines.map((l, i) => `${i === 0 ? "Adresse" : "12 rue de la Paix"};${l}`).join("\r\n");
    const { columns, rows } = readImport(withPostal, "auto", "FR");
    expect(columns.labels).toMatchObject({ email: "Adresse e-mail", status: "Statut", name: "Nom", phone: "Numéro de portable", language: "Langue" });
    expect(rows.map((r) => [r.email, r.problem]).sort()).toEqual([
      ["ann@example.org", null],
      ["gone@example.org", "unsubscribedInFile"],
      ["typed@example.org", "unconfirmedInFile"],
    ]);
  });

  it("in the site's own wording (internationalisation screen) is read back as it was written", async () => {
    const words = { "subscriptions.csv.email": "Contact", "subscriptions.csv.status": "Situation", "subscriptions.status.unsubscribed": "-Parti", "subscriptions.status.unconfirmed": "À valider", "subscriptions.csv.language": "Parle", "layout.languageLabel.en": "Anglophone" };
    for (const [key, value] of Object.entries(words)) await setOverride(site.id, "fr", key, value);
    try {
      const text = await exported("fr");
      expect(text).toMatch(/^\uFEFF?Contact;Nom;Situation;/);
      expect(text).toContain(";'-Parti;");
      const { into, refused } = await imported(text, "confirmed", "en");
      expect(refused).toEqual([
        ["gone@example.org", "unsubscribedInFile"],
        ["typed@example.org", "unconfirmedInFile"],
      ]);
      expect(await statusOf(into)).toEqual({ "ann@example.org": ["confirmed", "en"] });
    } finally {
      for (const key of Object.keys(words)) await removeOverride(site.id, "fr", key);
    }
  });
});

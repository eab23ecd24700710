import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { queue, smsOptOuts, smsReplies, subscriptions, type Site, type User } from "@/db/schema";
import { GET as exportQueue } from "@/app/api/queue/export/route";
import { GET as exportReplies } from "@/app/api/sms/replies/export/route";
import { GET as exportSubscriptions } from "@/app/api/subscriptions/export/route";
import { GET as exportOptOuts } from "@/app/api/subscriptions/sms-opt-outs/export/route";
import { GET as exportUsers } from "@/app/api/users/export/route";
import { CSV_COLUMNS } from "@/lib/queue/csv";
import { enqueue } from "@/lib/queue/enqueue";
import { createGroup } from "@/lib/newsletters/groups";
import { SUBSCRIPTION_CSV_COLUMNS } from "@/lib/newsletters/subscriptions/csv";
import { addedByNote, importedByNote } from "@/lib/newsletters/consent-note";
import { removeOverride, setOverride } from "@/lib/i18n/overrides";
import { OPT_OUT_CSV_COLUMNS } from "@/lib/sms/opt-out-list";
import { REPLY_CSV_COLUMNS } from "@/lib/sms/replies";
import { USER_CSV_COLUMNS } from "@/lib/users/list";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { actAs } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";

/**
 * Every export a screen links to (csvExportHref: `csv=fr` or `csv=en`) is written in that
 * screen's language, headers and labelled values (statuses, channels, roles, origins, languages)
 * from the site's catalogue; dates stay ISO 8601; French ones are separated by semicolons. Without
 * the parameter (a script), the file is what it always was: stable English names, commas.
 */
let site: Site;
let admin: User;
let group: number;
const CONSENT = new Date("2024-03-10T12:00:00Z");

beforeAll(async () => {
  site = await makeSite({ domain: "csv-language.example.org" });
  admin = await makeUser(site.id, "admin");
  await makeUser(site.id, "member", { email: "gone-member@example.org", disabledAt: new Date(), locale: "en" });
  group = await createGroup(site, { fr: "Lettre", en: "Letter" });
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: group, email: "ann@example.org", name: "=HYPERLINK(1)", source: "signup", status: "unsubscribed", locale: "en", consentAt: CONSENT, unsubscribedAt: CONSENT },
  ]);
  await enqueue({ siteId: site.id, message: { kind: "newsletter", subject: "News", text: "Hi", fromName: "Org", fromAddress: "org@example.org" }, recipients: [{ address: "bob@example.org" }] });
  await db.update(queue).set({ status: "error", lastError: "550 no such user", queuedAt: CONSENT }).where(eq(queue.recipient, "bob@example.org"));
  await db.insert(smsOptOuts).values({ siteId: site.id, phone: "+33612345678", keyword: "STOP", source: "reply", receivedAt: CONSENT });
  await db.insert(smsReplies).values({ siteId: site.id, phone: "+33612345678", text: "Bonjour,=1+1", action: "opt_out", receivedAt: CONSENT });
});

const get = async (handler: (r: NextRequest) => Promise<Response>, path: string) => {
  actAs(admin.id, site.domain);
  const text = await (await handler(new NextRequest(`http://localhost${path}`))).text();
  return text.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
};
const headerOf = (labels: Record<string, string>, columns: readonly string[], sep: string) => columns.map((c) => labels[c]).join(sep);

describe("an export from a French screen", () => {
  it("subscriptions: French headers and labels, ISO dates, semicolons, formulas guarded", async () => {
    const [header, row] = await get(exportSubscriptions, `/api/subscriptions/export?group=${group}&csv=fr`);
    expect(header).toBe(headerOf(fr.subscriptions.csv, SUBSCRIPTION_CSV_COLUMNS, ";"));
    expect(header.startsWith("Adresse e-mail;Nom;Statut;Origine;")).toBe(true);
    expect(row).toBe("ann@example.org;'=HYPERLINK(1);Désabonné;Formulaire d’inscription;2024-03-10T12:00:00.000Z;;;;2024-03-10T12:00:00.000Z;;Anglais");
  });

  it("the queue: statuses, channels and the cause of an error as the French screens name them", async () => {
    const [header, row] = await get(exportQueue, "/api/queue/export?csv=fr");
    expect(header).toBe(headerOf(fr.queue.csv, CSV_COLUMNS, ";"));
    expect(row).toContain(";Email;bob@example.org;;News;En erreur;0;2024-03-10T12:00:00.000Z;");
    // The last column, an SMS's whole text, is empty for an email.
    expect(row.endsWith(`;550 no such user;;;;${fr.queue.failure.reasons.emailUnknownRecipient};`)).toBe(true);
  });

  it("users: roles, languages and states in French", async () => {
    const [header, ...rows] = await get(exportUsers, "/api/users/export?csv=fr");
    expect(header).toBe(headerOf(fr.users.csv, USER_CSV_COLUMNS, ";"));
    expect(rows.find((r) => r.includes(";gone-member@example.org;"))).toMatch(/;Membre;csv-language\.example\.org;Anglais;Désactivé;\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(rows.find((r) => r.includes(`;${admin.email};`))).toContain(";Administrateur;csv-language.example.org;Français;Actif;");
  });

  it("SMS opt-outs and replies: origins, kinds and statuses in French; a formula after a comma guarded", async () => {
    const optOuts = await get(exportOptOuts, "/api/subscriptions/sms-opt-outs/export?csv=fr");
    expect(optOuts).toEqual([headerOf(fr.subscriptions.optOuts.csv, OPT_OUT_CSV_COLUMNS, ";"), "'+33612345678;STOP;Réponse à un SMS;2024-03-10T12:00:00.000Z"]);
    const replies = await get(exportReplies, "/api/sms/replies/export?csv=fr");
    // A comma reader (or Excel set up for English) would split at the comma: the text after it is guarded.
    expect(replies).toEqual([headerOf(fr.smsReplies.csv, REPLY_CSV_COLUMNS, ";"), "2024-03-10T12:00:00.000Z;'+33612345678;Bonjour,'=1+1;STOP;;;0;"]);
  });

  it("takes the site's own wording from the internationalisation screen, guarded like any cell", async () => {
    await setOverride(site.id, "fr", "subscriptions.csv.status", "Situation");
    await setOverride(site.id, "fr", "subscriptions.status.unsubscribed", "-Parti");
    try {
      const [header, row] = await get(exportSubscriptions, `/api/subscriptions/export?group=${group}&csv=fr`);
      expect(header.split(";")[2]).toBe("Situation");
      expect(row.split(";")[2]).toBe("'-Parti");
    } finally {
      await removeOverride(site.id, "fr", "subscriptions.csv.status");
      await removeOverride(site.id, "fr", "subscriptions.status.unsubscribed");
    }
  });
});

describe("the consent record of an administrator's add or import", () => {
  // Stored in fixed English words (an audit record, addedByNote/importedByNote); a screen's file
  // words it as that screen's tooltip does, a script's keeps it as stored.
  it("is written in the screen's language, and as stored for a script", async () => {
    const consented = await createGroup(site, { fr: "Consentements", en: "Consents" });
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: consented, email: "added@example.org", source: "screen", status: "confirmed", consentAt: CONSENT, consentText: addedByNote("boss@example.org") },
      { siteId: site.id, groupId: consented, email: "imported@example.org", source: "import", status: "confirmed", consentAt: CONSENT, consentText: importedByNote("boss@example.org", "import1.csv") },
      { siteId: site.id, groupId: consented, email: "signup@example.org", source: "signup", status: "confirmed", consentAt: CONSENT, consentText: "J’accepte de recevoir la lettre." },
    ]);
    const consentColumn = SUBSCRIPTION_CSV_COLUMNS.indexOf("consent_text");
    const column = async (csv: string, sep: string) => (await get(exportSubscriptions, `/api/subscriptions/export?group=${consented}${csv}`)).slice(1).map((line) => line.split(sep)[consentColumn]).sort();
    expect(await column("&csv=fr", ";")).toEqual(["ajouté par boss@example.org", "importé par boss@example.org depuis import1.csv", "J’accepte de recevoir la lettre."].sort());
    expect(await column("&csv=en", ",")).toEqual(["added by boss@example.org", "imported by boss@example.org from import1.csv", "J’accepte de recevoir la lettre."].sort());
    expect(await column("", ",")).toEqual(["added by boss@example.org", "imported by boss@example.org from import1.csv", "J’accepte de recevoir la lettre."].sort());
  });
});

describe("an export from an English screen", () => {
  it("has English headers and labels, ISO dates, commas", async () => {
    const [subscriptionHeader, subscription] = await get(exportSubscriptions, `/api/subscriptions/export?group=${group}&csv=en`);
    expect(subscriptionHeader).toBe(headerOf(en.subscriptions.csv, SUBSCRIPTION_CSV_COLUMNS, ","));
    expect(subscription).toBe("ann@example.org,'=HYPERLINK(1),Unsubscribed,Signup form,2024-03-10T12:00:00.000Z,,,,2024-03-10T12:00:00.000Z,,English");
    const [queueHeader, queued] = await get(exportQueue, "/api/queue/export?csv=en");
    expect(queueHeader).toBe(headerOf(en.queue.csv, CSV_COLUMNS, ","));
    expect(queued).toContain(",Email,bob@example.org,,News,Error,0,2024-03-10T12:00:00.000Z,");
    // The cause's sentence has a comma: quoted in a comma file.
    expect(queued.endsWith(`,550 no such user,,,,"${en.queue.failure.reasons.emailUnknownRecipient}",`)).toBe(true);
    const [userHeader, ...userRows] = await get(exportUsers, "/api/users/export?csv=en");
    expect(userHeader).toBe(headerOf(en.users.csv, USER_CSV_COLUMNS, ","));
    expect(userRows.find((r) => r.includes(",gone-member@example.org,"))).toContain(",Member,csv-language.example.org,English,Disabled,");
    expect(await get(exportOptOuts, "/api/subscriptions/sms-opt-outs/export?csv=en")).toEqual([headerOf(en.subscriptions.optOuts.csv, OPT_OUT_CSV_COLUMNS, ","), "'+33612345678,STOP,Replied to an SMS,2024-03-10T12:00:00.000Z"]);
    // A semicolon reader (Excel set up for French) would split at the semicolon: guarded there.
    await db.update(smsReplies).set({ text: "Hello;=1+1" }).where(eq(smsReplies.siteId, site.id));
    expect(await get(exportReplies, "/api/sms/replies/export?csv=en")).toEqual([headerOf(en.smsReplies.csv, REPLY_CSV_COLUMNS, ","), "2024-03-10T12:00:00.000Z,'+33612345678,Hello;'=1+1,STOP,,,0,"]);
  });
});

describe("an export without a screen's language (a script)", () => {
  it("keeps the stable English names and commas", async () => {
    const [header, row] = await get(exportSubscriptions, `/api/subscriptions/export?group=${group}`);
    expect(header).toBe(SUBSCRIPTION_CSV_COLUMNS.join(","));
    expect(row).toBe("ann@example.org,'=HYPERLINK(1),unsubscribed,signup,2024-03-10T12:00:00.000Z,,,,2024-03-10T12:00:00.000Z,,en");
    const [queueHeader, queued] = await get(exportQueue, "/api/queue/export");
    expect(queueHeader).toBe(CSV_COLUMNS.join(","));
    expect(queued).toContain(",email,bob@example.org,,News,error,0,");
    expect(queued.endsWith(",550 no such user,,,,emailUnknownRecipient,")).toBe(true);
    expect((await get(exportUsers, "/api/users/export")).find((r) => r.includes(",gone-member@example.org,"))).toContain(",member,csv-language.example.org,en,disabled,");
    expect((await get(exportOptOuts, "/api/subscriptions/sms-opt-outs/export"))[1]).toBe("'+33612345678,STOP,reply,2024-03-10T12:00:00.000Z");
    expect((await get(exportReplies, "/api/sms/replies/export"))[1]).toContain(",opt_out,");
  });
});

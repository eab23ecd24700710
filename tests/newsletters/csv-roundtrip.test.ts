import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { createGroup } from "@/lib/newsletters/groups";
import { signup } from "@/lib/newsletters/signup";
import { subscriptionsCsvStream } from "@/lib/newsletters/subscriptions/csv";
import { subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run } from "../helpers/actions";

/**
 * Subscriptions » CSV export writes each subscription's `status` (confirmed, unconfirmed,
 * unsubscribed). The import reads the address, name, phone and language of that same file but
 * not its status: every row is taken at the status chosen on the import screen (confirmed by
 * default). An administrator who exports a group, corrects it in a spreadsheet and imports it
 * back confirms every address the file itself says was never confirmed (typed into the public
 * form by anyone, double opt-in never clicked); copied into another group, the addresses the
 * file says unsubscribed are subscribed there, confirmed.
 */
let site: Site;
let admin: User;
let group: number;

const statusOf = async (groupId: number) =>
  Object.fromEntries(
    (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, groupId))).orderBy(asc(subscriptions.email))).map((s) => [s.email, s.status]),
  );
async function exported(groupId: number) {
  const reader = subscriptionsCsvStream(subscriptionsWhere(site.id, groupId)).getReader();
  let text = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
  return text;
}

beforeAll(async () => {
  site = await makeSite({ domain: "roundtrip.example.org" });
  admin = await makeUser(site.id, "admin");
  group = await createGroup(site, { fr: "Lettre", en: "Letter" });
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: group, email: "ann@example.org", name: "Ann", source: "signup", status: "confirmed", confirmedAt: new Date() },
    { siteId: site.id, groupId: group, email: "gone@example.org", name: "Gone", source: "signup", status: "unsubscribed", unsubscribedAt: new Date() },
  ]);
  // Typed into the public form by someone; the confirmation link was never clicked.
  await signup(site, { email: "typed@example.org", groupIds: [group], locale: "fr", ip: "203.0.113.7", userAgent: "x", consentText: "Oui" });
});

describe("a group's CSV export imported back", () => {
  it("into the same group leaves the subscriptions as the file says they are", async () => {
    expect(await statusOf(group)).toEqual({ "ann@example.org": "confirmed", "gone@example.org": "unsubscribed", "typed@example.org": "unconfirmed" });
    const text = await exported(group);
    expect(text).toMatch(/typed@example\.org,[^\r\n]*,unconfirmed,/);

    actAs(admin.id, site.domain);
    const done = expectSuccess(await run(runImportAction, { group, csv: text, status: "confirmed", locale: "en" }));
    // The file says "unconfirmed": nobody has confirmed that address.
    expect(await statusOf(group)).toEqual({ "ann@example.org": "confirmed", "gone@example.org": "unsubscribed", "typed@example.org": "unconfirmed" });
    // Both rows are reported, each with what the file said, in the refused rows' file too.
    const report = (done as { data: { refused: { email: string; reason: string }[]; csv: string } }).data;
    expect(report.refused.map((r) => [r.email, r.reason]).sort()).toEqual([
      ["gone@example.org", "unsubscribedInFile"],
      ["typed@example.org", "unconfirmedInFile"],
    ]);
    expect(report.csv).toContain("The file says this address never confirmed");

    // The refused rows' file keeps what the status column said: imported back, into another
    // group, it subscribes neither of them.
    const other = await createGroup(site, { fr: "Autre", en: "Other" });
    const again = expectSuccess(await run(runImportAction, { group: other, csv: report.csv, status: "confirmed", locale: "en" }));
    expect((again as { data: { refused: { reason: string }[] } }).data.refused.map((r) => r.reason).sort()).toEqual(["unconfirmedInFile", "unsubscribedInFile"]);
    expect(await statusOf(other)).toEqual({});
  });

  it("imported as unconfirmed, a row the file says unconfirmed is taken, still unconfirmed", async () => {
    const pending = await createGroup(site, { fr: "Attente", en: "Pending" });
    actAs(admin.id, site.domain);
    expectSuccess(await run(runImportAction, { group: pending, csv: await exported(group), status: "unconfirmed", locale: "fr" }));
    expect(await statusOf(pending)).toEqual({ "ann@example.org": "unconfirmed", "typed@example.org": "unconfirmed" });
  });

  it("into another group does not subscribe the addresses the file says unsubscribed or unconfirmed", async () => {
    const copy = await createGroup(site, { fr: "Copie", en: "Copy" });
    actAs(admin.id, site.domain);
    expectSuccess(await run(runImportAction, { group: copy, csv: await exported(group), status: "confirmed", locale: "fr" }));
    const copied = await statusOf(copy);
    expect(copied["ann@example.org"]).toBe("confirmed");
    expect(copied["gone@example.org"]).not.toBe("confirmed");
    expect(copied["typed@example.org"]).not.toBe("confirmed");
  });
});

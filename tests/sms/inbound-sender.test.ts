import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { smsOptOuts, smsReplies, type Site } from "@/db/schema";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { makeSite } from "../helpers/factories";

// How an SMSC gives the sender of a reply (source_addr and its TON) decides which number leaves
// the site's SMS sends on a STOP. Each site has its own SMSC on loopback: sites on one login
// would all read every reply, each in its own country.
const smscs: SmscHarness[] = [];
afterAll(async () => {
  await closeSmsTransports();
  await Promise.all(smscs.map((s) => s.close()));
});

async function siteIn(defaultCountry: string): Promise<{ site: Site; smsc: SmscHarness }> {
  const smsc = await startSmsc({ receipts: "none" });
  smscs.push(smsc);
  const site = await makeSite({ smsUrl: smsc.url({ source: "Org" }), defaultCountry });
  await listenForSmsReplies([site.id]);
  return { site, smsc };
}
const optedOut = async (site: Site) =>
  (await db.select({ phone: smsOptOuts.phone }).from(smsOptOuts).where(eq(smsOptOuts.siteId, site.id)).orderBy(smsOptOuts.phone)).map((r) => r.phone);
const keptFrom = async (site: Site) =>
  (await db.select({ phone: smsReplies.phone }).from(smsReplies).where(eq(smsReplies.siteId, site.id)).orderBy(smsReplies.id)).map((r) => r.phone);

describe("a reply's sender given without a type (TON 0)", () => {
  it("is read as a national number of the site's country when it is one: an Italian mobile without trunk prefix", async () => {
    const { site, smsc } = await siteIn("IT");
    expect(await smsc.sendInbound("3471234567", "STOP", { ton: 0, to: "Org" })).toBe(0);
    expect(await optedOut(site)).toEqual(["+393471234567"]);
  });

  it("the same for a US number of ten digits", async () => {
    const { site, smsc } = await siteIn("US");
    expect(await smsc.sendInbound("2125550123", "stop", { ton: 0, to: "Org" })).toBe(0);
    expect(await optedOut(site)).toEqual(["+12125550123"]);
  });

  it("is read as an international number when it is no valid national one, or only a landline there", async () => {
    const fr = await siteIn("FR");
    for (const from of ["0612345601", "33612345602", "612345603"]) expect(await fr.smsc.sendInbound(from, "STOP", { ton: 0, to: "Org" })).toBe(0);
    expect(await optedOut(fr.site)).toEqual(["+33612345601", "+33612345602", "+33612345603"]);

    // For a German site "33612345604" would also be a landline number (0336 12345604): the
    // mobile that sent an SMS is the French one.
    const de = await siteIn("DE");
    expect(await de.smsc.sendInbound("33612345604", "STOP", { ton: 0, to: "Org" })).toBe(0);
    expect(await optedOut(de.site)).toEqual(["+33612345604"]);
  });
});

describe("a reply's sender said to be international (TON 1)", () => {
  it("is never read as a national number: an invalid one is kept as it came, and its STOP does nothing", async () => {
    const { site, smsc } = await siteIn("IT");
    expect(await smsc.sendInbound("3471234567", "STOP", { ton: 1, to: "Org" })).toBe(0);
    expect(await keptFrom(site)).toEqual(["+3471234567"]);
    expect(await optedOut(site)).toEqual([]);
    expect(await smsc.sendInbound("393471234568", "STOP", { ton: 1, to: "Org" })).toBe(0);
    expect(await optedOut(site)).toEqual(["+393471234568"]);
  });
});

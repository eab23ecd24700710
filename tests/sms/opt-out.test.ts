import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { countAudience } from "@/lib/newsletters/audience";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { optOutKeyword } from "@/lib/sms/opt-out";
import { closeSmsTransports, smsForSite } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { until } from "../helpers/wait";
import { makeSite } from "../helpers/factories";

// A reply "STOP" reaches chora as an SMPP deliver_sm on the site's own session (the transport
// lib/sms/resolve.ts builds), from a real SMSC on loopback.
let smsc: SmscHarness;
beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

const optedOut = async (siteId: number) =>
  rows<{ phone: string; keyword: string }>(await db.execute(sql`select phone, keyword from sms_opt_outs where site_id = ${siteId} order by phone`));

describe("SMS opt-out replies", () => {
  it("recognises the keywords people actually send, and nothing else", () => {
    for (const text of ["STOP", "stop", " Stop! ", "STOP SMS", "stop sms.", "Arrêt", "ARRET", "Désabonner", "unsubscribe", "STOPALL"]) expect(optOutKeyword(text), text).not.toBeNull();
    for (const text of ["", "Stop by tomorrow?", "OK", "arrête de m'écrire demain", "STOPPING"]) expect(optOutKeyword(text), text).toBeNull();
  });

  it("a STOP from a number takes it out of the site's SMS sends, and only the sites on that SMS account", async () => {
    const site = await makeSite({ smsUrl: smsc.url() });
    const other = await makeSite({ smsUrl: "smpp://other:secret@127.0.0.1:1" }); // another account
    const group = 7;
    const people = [
      { email: "stopper@example.org", phone: "+33612345001" },
      { email: "stays@example.org", phone: "+33612345002" },
      { email: "chatty@example.org", phone: "+33612345003" },
    ];
    for (const s of [site, other]) {
      await db.insert(subscriptions).values(people.map((p) => ({ ...p, siteId: s.id, groupId: group, status: "confirmed" as const, source: "screen" as const })));
    }
    const spec = (siteId: number) => ({ siteId, groupIds: [group], pasted: "+33612345001", channel: "sms" as const });
    expect(await countAudience(spec(site.id))).toBe(3);

    // The site's session is bound when it sends; the SMSC then passes on the replies it holds.
    const transport = await smsForSite(site.id);
    await transport.send({ to: "+33612345002", from: "Org", text: "Meeting at 6", siteId: site.id, queueId: 1 });
    await smsc.sendInbound("+33612345003", "Thanks, see you there");
    await smsc.sendInbound("+33612345001", "Stop SMS");
    await until("the opt-out", async () => (await optedOut(site.id)).length > 0);

    expect(await optedOut(site.id)).toEqual([{ phone: "+33612345001", keyword: "STOPSMS" }]);
    expect(await optedOut(other.id)).toEqual([]);
    // Left out of the group send and of the pasted list; the other site still reaches the number.
    expect(await countAudience(spec(site.id))).toBe(2);
    expect(await countAudience(spec(other.id))).toBe(3);
    // Emails are not affected.
    expect(await countAudience({ siteId: site.id, groupIds: [group], pasted: "" })).toBe(3);
    // The subscriptions screen marks the number.
    const listed = await listSubscriptions(eq(subscriptions.siteId, site.id));
    expect(Object.fromEntries(listed.rows.map((r) => [r.phone, r.smsOptedOut]))).toEqual({ "+33612345001": true, "+33612345002": false, "+33612345003": false });

    // "START" takes it back.
    await smsc.sendInbound("+33612345001", "Start");
    await until("the opt-in", async () => (await optedOut(site.id)).length === 0);
    expect(await countAudience(spec(site.id))).toBe(3);
  });

  it("applies to every site on the same SMPP login, and reads a national sender in each site's country", async () => {
    const own = await startSmsc({ receipts: "none" });
    try {
      const a = await makeSite({ smsUrl: own.url({ source: "SiteA" }), defaultCountry: "FR" });
      const b = await makeSite({ smsUrl: own.url({ source: "SiteB" }), defaultCountry: "BE" });
      const transport = await smsForSite(a.id);
      await transport.send({ to: "+33612345020", from: "Org", text: "Hello", siteId: a.id, queueId: 3 });
      await own.sendInbound("33612345021", "STOP", { ton: 0 }); // a full number without a type
      await own.sendInbound("022345678", "stop", { ton: 2 }); // national: a Brussels number for b, too short to be French for a
      await until("both opt-outs", async () => (await optedOut(b.id)).length === 2);
      expect(await optedOut(a.id)).toEqual([{ phone: "+33612345021", keyword: "STOP" }]);
      expect(await optedOut(b.id)).toEqual([
        { phone: "+3222345678", keyword: "STOP" },
        { phone: "+33612345021", keyword: "STOP" },
      ]);
    } finally {
      await closeSmsTransports();
      await own.close();
    }
  });

  it("reads a UCS-2 reply (accented keyword) as well", async () => {
    const own = await startSmsc({ receipts: "none" }); // its own SMSC account, as a site has
    try {
      const site = await makeSite({ smsUrl: own.url() });
      const transport = await smsForSite(site.id);
      await transport.send({ to: "+33612345010", from: "Org", text: "Hello", siteId: site.id, queueId: 2 });
      await own.sendInbound("+33612345011", "Arrêt", { coding: "ucs2" });
      await until("the opt-out", async () => (await optedOut(site.id)).length > 0);
      expect(await optedOut(site.id)).toEqual([{ phone: "+33612345011", keyword: "ARRET" }]);
    } finally {
      await closeSmsTransports();
      await own.close();
    }
  });
});

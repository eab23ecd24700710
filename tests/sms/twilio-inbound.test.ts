import { beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import twilio from "twilio";
import { db, rows } from "@/db/client";
import type { Site } from "@/db/schema";
import { POST } from "@/app/api/sms/twilio/inbound/route";
import { smsAccount } from "@/lib/sms/opt-out";
import { siteBaseUrl } from "@/lib/sites/url";
import { makeSite } from "../helpers/factories";

const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "s3cr3t-auth-token";
const SENDER = "+33700000001";
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twilioUrl = (from = SENDER, sid = SID, token = TOKEN) => `twilio://${sid}:${token}@api.twilio.com?from=${encodeURIComponent(from)}`;

const optedOut = async (siteId: number) =>
  rows<{ phone: string; keyword: string; source: string }>(await db.execute(sql`select phone, keyword, source from sms_opt_outs where site_id = ${siteId} order by phone`));
const allOptOuts = async () => rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from sms_opt_outs`))[0].n;

/** Twilio's request for an SMS the site's number received: the form, signed over the site's public inbound URL. */
function inbound(site: Pick<Site, "domain">, params: Record<string, string>, opts: { signature?: string | null; body?: string; contentType?: string } = {}) {
  const url = `${siteBaseUrl(site)}/api/sms/twilio/inbound`;
  const signature = opts.signature === undefined ? twilio.getExpectedTwilioSignature(TOKEN, url, params) : opts.signature;
  const headers: Record<string, string> = { host: site.domain, "content-type": opts.contentType ?? "application/x-www-form-urlencoded", "user-agent": "TwilioProxy/1.1" };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  // Behind the proxy, the app sees its internal address, not the URL Twilio called.
  return POST(new Request("http://127.0.0.1:3000/api/sms/twilio/inbound", { method: "POST", headers, body: opts.body ?? new URLSearchParams(params).toString() }));
}
let sid = 0;
/** Twilio's form for one SMS, each with its own message sid unless `extra` names one. */
const sms = (From: string, Body: string, extra: Record<string, string> = {}) => ({
  ToCountry: "FR",
  SmsMessageSid: `SM${String(++sid).padStart(32, "0")}`,
  NumMedia: "0",
  SmsSid: `SM${String(sid).padStart(32, "0")}`,
  SmsStatus: "received",
  Body,
  To: SENDER,
  NumSegments: "1",
  MessageSid: `SM${String(sid).padStart(32, "0")}`,
  AccountSid: SID,
  From,
  ApiVersion: "2010-04-01",
  ...extra,
});

async function expectTwiml(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/xml");
  expect(await res.text()).toBe(EMPTY_TWIML);
}

describe("smsAccount for Twilio", () => {
  it("is the account SID and the sender: not the token, host or spelling of the sender", () => {
    const key = `twilio://${SID}/${SENDER}`;
    expect(smsAccount(twilioUrl())).toBe(key);
    expect(smsAccount(`twilio://${SID}:rotated-token@api.twilio.com?from=+33700000001`)).toBe(key);
    expect(smsAccount(`twilio://${SID}:${TOKEN}@127.0.0.1:4010?from=%2B33%207%2000%2000%2000%2001`)).toBe(key);
    expect(smsAccount(twilioUrl("+33700000002"))).not.toBe(key);
    expect(smsAccount(twilioUrl(SENDER, "AC" + "9".repeat(32)))).not.toBe(key);
    // The site's own sender wins over ?from=, as it does when sending.
    expect(smsAccount(twilioUrl("+33700000002"), SENDER)).toBe(key);
    // SMPP accounts are unchanged.
    expect(smsAccount("smpp://chora:secret@SMSC.example.org:2775?source=A")).toBe(smsAccount("smpp://chora:other@smsc.example.org?source=B"));
  });
});

describe("POST /api/sms/twilio/inbound", () => {
  let site: Site;
  beforeAll(async () => {
    site = await makeSite({ domain: "sms-inbound.example.org", smsUrl: twilioUrl() });
  });

  it('a signed "Stop" records the opt-out as a reply, answers empty TwiML; "Start" takes it back', async () => {
    await expectTwiml(await inbound(site, sms("+33612340001", "Stop")));
    expect(await optedOut(site.id)).toEqual([{ phone: "+33612340001", keyword: "STOP", source: "reply" }]);

    await expectTwiml(await inbound(site, sms("+33612340001", "Start")));
    expect(await optedOut(site.id)).toEqual([]);
  });

  it("OptOutType from Advanced Opt-Out decides, whatever the body says", async () => {
    await expectTwiml(await inbound(site, sms("+33612340002", "Plus de messages svp", { OptOutType: "STOP" })));
    await expectTwiml(await inbound(site, sms("+33612340003", "Arrêt", { OptOutType: "STOP" })));
    expect(await optedOut(site.id)).toEqual([
      { phone: "+33612340002", keyword: "STOP", source: "reply" },
      { phone: "+33612340003", keyword: "ARRET", source: "reply" },
    ]);
    // A custom opt-in keyword Twilio recognised.
    await expectTwiml(await inbound(site, sms("+33612340002", "Oui", { OptOutType: "START" })));
    expect((await optedOut(site.id)).map((r) => r.phone)).toEqual(["+33612340003"]);
    await expectTwiml(await inbound(site, sms("+33612340003", "REPRISE")));
    expect(await optedOut(site.id)).toEqual([]);
  });

  it("HELP and ordinary messages change nothing", async () => {
    await inbound(site, sms("+33612340004", "STOP"));
    const before = await optedOut(site.id);
    expect(before).toHaveLength(1);
    await expectTwiml(await inbound(site, sms("+33612340004", "help", { OptOutType: "HELP" })));
    await expectTwiml(await inbound(site, sms("+33612340005", "INFO", { OptOutType: "HELP" })));
    await expectTwiml(await inbound(site, sms("+33612340005", "Stop by tomorrow, the door is open")));
    await expectTwiml(await inbound(site, sms("+33612340004", "Merci, à demain !")));
    await expectTwiml(await inbound(site, sms("+33612340006", "")));
    expect(await optedOut(site.id)).toEqual(before);
    await inbound(site, sms("+33612340004", "START"));
    // Every one of them is in the site's SMS replies, with what it did.
    const replies = rows<{ phone: string; text: string; action: string | null }>(
      await db.execute(sql`select phone, text, action from sms_replies where site_id = ${site.id} and phone in ('+33612340004', '+33612340005', '+33612340006') order by id`),
    );
    expect(replies).toEqual([
      { phone: "+33612340004", text: "STOP", action: "opt_out" },
      { phone: "+33612340004", text: "help", action: null },
      { phone: "+33612340005", text: "INFO", action: null },
      { phone: "+33612340005", text: "Stop by tomorrow, the door is open", action: null },
      { phone: "+33612340004", text: "Merci, à demain !", action: null },
      { phone: "+33612340006", text: "", action: null },
      { phone: "+33612340004", text: "START", action: "opt_in" },
    ]);
  });

  it("a message Twilio delivers twice (a retry) is kept once", async () => {
    const once = sms("+33612340007", "Are you open on Sunday?");
    await expectTwiml(await inbound(site, once));
    await expectTwiml(await inbound(site, once));
    const kept = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from sms_replies where phone = '+33612340007'`));
    expect(kept[0].n).toBe(1);
  });

  it("a STOP Twilio delivers again after the person's START does nothing more: the START stands", async () => {
    const stop = sms("+33612340008", "STOP");
    await expectTwiml(await inbound(site, stop));
    await expectTwiml(await inbound(site, sms("+33612340008", "START")));
    await expectTwiml(await inbound(site, stop)); // Twilio's retry of the first request
    expect((await optedOut(site.id)).filter((o) => o.phone === "+33612340008")).toEqual([]);
    const kept = rows<{ text: string }>(await db.execute(sql`select text from sms_replies where phone = '+33612340008' order by id`));
    expect(kept.map((r) => r.text)).toEqual(["STOP", "START"]);
  });

  it("an invalid or missing signature is 403 and writes nothing", async () => {
    const params = sms("+33612340007", "STOP");
    const url = `${siteBaseUrl(site)}/api/sms/twilio/inbound`;
    const forged = [
      twilio.getExpectedTwilioSignature("wrong-token", url, params),
      twilio.getExpectedTwilioSignature(TOKEN, url, { ...params, Body: "Hello" }), // another form
      twilio.getExpectedTwilioSignature(TOKEN, `${siteBaseUrl(site)}/api/sms/twilio/status`, params), // the status callback's URL
      "not-base64!",
      "",
    ];
    const before = await allOptOuts();
    for (const signature of forged) {
      const res = await inbound(site, params, { signature });
      expect(res.status, signature).toBe(403);
      expect(await res.text()).toBe("");
    }
    expect((await inbound(site, params, { signature: null })).status).toBe(403);
    // A forged START does not take an opt-out back either.
    await inbound(site, sms("+33612340007", "STOP", { OptOutType: "STOP" }));
    expect((await inbound(site, sms("+33612340007", "START"), { signature: "forged" })).status).toBe(403);
    expect(await allOptOuts()).toBe(before + 1);
    await inbound(site, sms("+33612340007", "START"));
    expect(await allOptOuts()).toBe(before);
  });

  it("malformed requests are 400, never 500, and write nothing", async () => {
    const before = await allOptOuts();
    const json = JSON.stringify(sms("+33612340008", "STOP"));
    expect((await inbound(site, {}, { body: json, contentType: "application/json" })).status).toBe(400);
    expect((await inbound(site, {}, { body: "From=%2B33612340008&Body=STOP", contentType: "" })).status).toBe(400);
    expect((await inbound(site, {}, { body: "From=%2B33612340008&Body=STOP&Body=START" })).status).toBe(400);
    expect((await inbound(site, {}, { body: `From=%2B33612340008&Body=STOP&Pad=${"x".repeat(100_000)}` })).status).toBe(400);
    // signed, but without a sender
    const { From: _from, ...noFrom } = sms("+33612340008", "STOP");
    expect((await inbound(site, noFrom)).status).toBe(400);
    expect((await inbound(site, { ...noFrom, From: " " })).status).toBe(400);
    // signed with this site's token, but naming another account (or none)
    expect((await inbound(site, sms("+33612340008", "STOP", { AccountSid: "AC" + "9".repeat(32) }))).status).toBe(400);
    const { AccountSid: _sid, ...noAccount } = sms("+33612340008", "STOP");
    expect((await inbound(site, noAccount)).status).toBe(400);
    expect(await allOptOuts()).toBe(before);
  });

  it("a signed form whose sender, number or sid is not Twilio's (a NUL, markup) is 400, never 500, and writes nothing", async () => {
    const replies = async () => rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from sms_replies`))[0].n;
    const [optOuts, kept] = [await allOptOuts(), await replies()];
    for (const extra of <Record<string, string>[]>[
      { From: "+336\u00001234" },
      { From: "+33612340012\u0000" },
      { From: "<script>alert(1)</script>" },
      { From: "+33612340012", To: "+337\u000000000001" },
      { From: "+33612340012", MessageSid: "SM\u0000", SmsSid: "SM\u0000" },
      { From: "+33612340012", MessageSid: "", SmsSid: "SM'; --" },
    ]) {
      const res = await inbound(site, sms(extra.From, "STOP", extra));
      expect(res.status, JSON.stringify(extra)).toBe(400);
    }
    expect([await allOptOuts(), await replies()]).toEqual([optOuts, kept]);
  });

  it("a NUL in the text is dropped, and an alphanumeric sender is still kept as written", async () => {
    await expectTwiml(await inbound(site, sms("+33612340013", "ST\u0000OP")));
    expect((await optedOut(site.id)).map((r) => r.phone)).toContain("+33612340013");
    await expectTwiml(await inbound(site, sms("ACME Shop", "Bon\u0000jour")));
    const kept = rows<{ text: string }>(await db.execute(sql`select text from sms_replies where site_id = ${site.id} and phone = 'ACME Shop'`));
    expect(kept).toEqual([{ text: "Bonjour" }]);
    await inbound(site, sms("+33612340013", "START"));
  });

  it("a site that does not send through Twilio has no inbound webhook here (404)", async () => {
    const smpp = await makeSite({ smsUrl: "smpp://chora:secret@smsc.example.org:2775" });
    const none = await makeSite({ smsUrl: null });
    for (const other of [smpp, none]) {
      const res = await inbound(other, sms("+33612340009", "STOP"));
      expect(res.status).toBe(404);
    }
    expect(await optedOut(smpp.id)).toEqual([]);
  });

  it("applies to every site on the same account and sender, not to another sender or account", async () => {
    const twin = await makeSite({ smsUrl: `twilio://${SID}:${TOKEN}@api.twilio.com?from=+33700000001` }); // same account, sender spelt otherwise
    const ownSender = await makeSite({ smsUrl: twilioUrl("+33700000002"), smsSender: SENDER }); // sends from SENDER all the same
    const otherSender = await makeSite({ smsUrl: twilioUrl("+33700000002") });
    const otherAccount = await makeSite({ smsUrl: twilioUrl(SENDER, "AC" + "9".repeat(32), "another-token") });
    const smpp = await makeSite({ smsUrl: "smpp://chora:secret@smsc.example.org:2775" });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      await expectTwiml(await inbound(site, sms("+33612340010", "STOP")));
    } finally {
      info.mockRestore();
    }
    const stop = [{ phone: "+33612340010", keyword: "STOP", source: "reply" }];
    expect(await optedOut(site.id)).toEqual(stop);
    expect(await optedOut(twin.id)).toEqual(stop);
    expect(await optedOut(ownSender.id)).toEqual(stop);
    for (const s of [otherSender, otherAccount, smpp]) expect(await optedOut(s.id), s.smsUrl ?? "").toEqual([]);

    // A STOP sent to the account's other number reaches the sites sending from that one.
    await expectTwiml(await inbound(site, sms("+33612340011", "STOP", { To: "+33700000002" })));
    expect((await optedOut(otherSender.id)).map((r) => r.phone)).toEqual(["+33612340011"]);
    expect((await optedOut(site.id)).map((r) => r.phone)).toEqual(["+33612340010"]);

    // START through the twin's own webhook takes the first back everywhere.
    await expectTwiml(await inbound(twin, sms("+33612340010", "START")));
    for (const s of [site, twin, ownSender]) expect(await optedOut(s.id)).toEqual([]);
  });

  it("a site sending through a Messaging Service (no number of its own) still records the STOP its webhook receives", async () => {
    const service = await makeSite({ smsUrl: twilioUrl("MG" + "a".repeat(32)) });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      // The service's pool number received it: no site sends "from" that number by name.
      await expectTwiml(await inbound(service, sms("+33612340020", "Arrêt", { To: "+33700000099" })));
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
    expect(await optedOut(service.id)).toEqual([{ phone: "+33612340020", keyword: "ARRET", source: "reply" }]);
    // Kept once in its replies (the lookup by `To` reached no site, the fallback did).
    const kept = rows<{ site_id: number }>(await db.execute(sql`select site_id from sms_replies where phone = '+33612340020'`));
    expect(kept).toEqual([{ site_id: service.id }]);
  });
});

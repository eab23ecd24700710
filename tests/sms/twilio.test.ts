import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import twilio from "twilio";
import { db, rows } from "@/db/client";
import { queue, queueEvents, queueReceipts, sites, type Site } from "@/db/schema";
import { POST } from "@/app/api/sms/twilio/status/route";
import { enqueue } from "@/lib/queue/enqueue";
import { parseTwilioUrl, twilioStatusReceipt, twilioTransport, validTwilioSignature } from "@/lib/sms/twilio";
import type { SmsMessage } from "@/lib/sms/transport";
import { closeSmsTransports, smsForSite } from "@/lib/sms/resolve";
import { siteBaseUrl } from "@/lib/sites/url";
import { makeSite } from "../helpers/factories";
import { smsFailure as failure } from "../helpers/sms-failure";
import { errorReason } from "@/lib/queue/error-reason";

const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "s3cr3t-auth-token";

// ─── A stand-in for api.twilio.com ───────────────────────────────────────────────────────────

type Seen = { method: string; path: string; headers: IncomingMessage["headers"]; body: string };
type Answer = { status: number; body: unknown };

let api: Server;
let apiPort: number;
const seen: Seen[] = [];
let answer: (req: Seen) => Answer = (req) => created(req);

const created = (req: Seen): Answer => {
  const form = new URLSearchParams(req.body);
  return {
    status: 201,
    body: {
      sid: "SM" + "a1b2c3d4".repeat(4),
      account_sid: SID,
      to: form.get("To"),
      from: form.get("From"),
      body: form.get("Body"),
      status: "queued",
      num_segments: "1",
      direction: "outbound-api",
      api_version: "2010-04-01",
      price: null,
      error_code: null,
      error_message: null,
      date_created: "Thu, 30 Jul 2026 20:12:31 +0000",
      uri: `/2010-04-01/Accounts/${SID}/Messages/SM${"a1b2c3d4".repeat(4)}.json`,
    },
  };
};

beforeAll(async () => {
  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(s);
      const a = answer(s);
      res.writeHead(a.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiPort = (api.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
  answer = created;
});

const sms = (over: Partial<SmsMessage> = {}): SmsMessage => ({
  to: "+33612345678",
  from: "+33700000001",
  text: "Réunion à 18 h — café offert ✓ & 100% bénévole",
  siteId: 1,
  queueId: 1,
  ...over,
});
const localUrl = (query = "") => `twilio://${SID}:${TOKEN}@127.0.0.1:${apiPort}${query}`;


describe("parseTwilioUrl", () => {
  it("reads the account, token and sender; only another host gets a base URL", () => {
    expect(parseTwilioUrl(`twilio://${SID}:${TOKEN}@api.twilio.com?from=%2B33612345678`)).toEqual({ accountSid: SID, authToken: TOKEN, from: "+33612345678" });
    // `+` as people write it is a plus, not a form-encoded space
    expect(parseTwilioUrl(`twilio://${SID}:${TOKEN}@api.twilio.com?from=+33612345678`).from).toBe("+33612345678");
    expect(parseTwilioUrl(`twilio://${SID}:${TOKEN}@API.Twilio.com`)).toEqual({ accountSid: SID, authToken: TOKEN });
    expect(parseTwilioUrl("twilio://AC123:token@127.0.0.1:4010")).toEqual({ accountSid: "AC123", authToken: "token", baseUrl: "http://127.0.0.1:4010" });
    expect(parseTwilioUrl("twilio://AC123:token@localhost:4010?from=Chora").baseUrl).toBe("http://localhost:4010");
    expect(parseTwilioUrl("twilio://AC123:token@[::1]:4010").baseUrl).toBe("http://[::1]:4010");
    expect(parseTwilioUrl("twilio://AC123:token@twilio-proxy.example.org").baseUrl).toBe("https://twilio-proxy.example.org");
    expect(parseTwilioUrl("twilio://AC123:to%2Fk%40en@api.twilio.com").authToken).toBe("to/k@en");
  });

  it("refuses what is not a usable Twilio URL, without echoing the token", () => {
    for (const bad of ["nope", "smpp://a:b@host:2775", "twilio://api.twilio.com", "twilio://SK123:token@api.twilio.com", `twilio://${SID}@api.twilio.com`]) {
      expect(() => parseTwilioUrl(bad), bad).toThrow();
    }
    try {
      parseTwilioUrl("twilio://XX1:very-secret@api.twilio.com");
    } catch (e) {
      expect(String(e)).not.toContain("very-secret");
    }
  });
});

describe("twilioTransport against a local API", () => {
  it("posts the message as Twilio's Messages API expects and returns its sid", async () => {
    const transport = twilioTransport(localUrl("?from=%2B33799999999"), { statusCallback: "https://sms.example.org/api/sms/twilio/status" });
    expect(transport.kind).toBe("twilio");
    const result = await transport.send(sms());
    expect(result).toEqual({ providerMessageId: "SM" + "a1b2c3d4".repeat(4) });

    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`);
    expect(req.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req.headers.accept).toBe("application/json");
    const form = new URLSearchParams(req.body);
    expect(Object.fromEntries(form)).toEqual({
      To: "+33612345678",
      From: "+33700000001", // the message's sender wins over the URL's
      Body: "Réunion à 18 h — café offert ✓ & 100% bénévole",
      StatusCallback: "https://sms.example.org/api/sms/twilio/status",
    });
    await transport.close();
  });

  it("falls back to the URL's sender, and sends no StatusCallback when none is given", async () => {
    const transport = twilioTransport(localUrl("?from=%2B33799999999"));
    await transport.send(sms({ from: "" }));
    const form = new URLSearchParams(seen[0].body);
    expect(form.get("From")).toBe("+33799999999");
    expect(form.has("StatusCallback")).toBe(false);
  });

  it("without any sender it fails before calling Twilio, as a configuration error", async () => {
    const err = await failure(twilioTransport(localUrl()).send(sms({ from: "" })));
    expect(err.transient).toBe(true);
    expect(seen).toHaveLength(0);
    expect(errorReason(err.message)?.key).toBe("smsNoSender");
  });

  it("an invalid number is a permanent failure carrying Twilio's code and message", async () => {
    answer = () => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number +3361234 is not a valid phone number.", more_info: "https://www.twilio.com/docs/errors/21211", status: 400 },
    });
    const err = await failure(twilioTransport(localUrl()).send(sms({ to: "+3361234" })));
    expect(err).toMatchObject({ transient: false, code: 21211, message: "Twilio 21211: The 'To' number +3361234 is not a valid phone number." });
    expect(err.message).not.toContain(TOKEN);
  });

  it("classifies Twilio's answers: throttling, outages and credentials are retried; a refused recipient is not", async () => {
    const cases: [number, unknown, boolean, string | number][] = [
      [429, { code: 20429, message: "Too Many Requests", status: 429 }, true, 20429],
      [503, { code: 20503, message: "Service Unavailable", status: 503 }, true, 20503],
      [502, "<html>Bad gateway</html>", true, 502],
      [401, { code: 20003, message: "Authenticate", status: 401 }, true, 20003],
      [403, { code: 20403, message: "Forbidden", status: 403 }, true, 20403],
      [400, { code: 21606, message: "The From phone number is not a valid, SMS-capable inbound phone number", status: 400 }, true, 21606],
      [400, { code: 21614, message: "'To' number is not a valid mobile number", status: 400 }, false, 21614],
      [400, { code: 21610, message: "Attempt to send to unsubscribed recipient", status: 400 }, false, 21610],
      [400, { code: 21408, message: "Permission to send an SMS has not been enabled for the region", status: 400 }, false, 21408],
      [400, { type: "https://www.twilio.com/docs/errors/21211", title: "Invalid 'To' Phone Number", status: 400, code: 21211, detail: "The 'To' number is not valid." }, false, 21211],
    ];
    const transport = twilioTransport(localUrl("?from=Chora"));
    for (const [status, body, transient, code] of cases) {
      answer = () => ({ status, body });
      const err = await failure(transport.send(sms()));
      expect({ status, transient: err.transient, code: err.code }).toEqual({ status, transient, code });
      expect(err.message).toMatch(/^Twilio /);
    }
    answer = () => ({ status: 429, body: { code: 20429, message: "Too Many Requests", status: 429 } });
    expect((await failure(transport.send(sms()))).message).toBe("Twilio 20429: Too Many Requests");
  });

  it("a send refused because the number replied STOP to Twilio (21610) records the opt-out for every site on that account and sender", async () => {
    const site = await makeSite({ smsUrl: localUrl("?from=Chora") });
    // Same account, same sender: Twilio refuses it the number too. Another sender: not refused.
    const sibling = await makeSite({ smsUrl: localUrl("?from=Chora") });
    const otherSender = await makeSite({ smsUrl: localUrl("?from=Market") });
    const transport = await smsForSite(site.id);
    answer = () => ({ status: 400, body: { code: 21610, message: "Attempt to send to unsubscribed recipient", status: 400 } });
    // Sent from the URL's sender (the message names none), as the sites' own SMS go.
    expect(await failure(transport.send(sms({ to: "+33612349999", from: "" })))).toMatchObject({ transient: false, code: 21610 });
    const stored = async (siteId: number) => rows<{ phone: string; keyword: string; source: string }>(await db.execute(sql`select phone, keyword, source from sms_opt_outs where site_id = ${siteId}`));
    expect(await stored(site.id)).toEqual([{ phone: "+33612349999", keyword: "STOP", source: "provider" }]);
    expect(await stored(sibling.id)).toEqual([{ phone: "+33612349999", keyword: "STOP", source: "provider" }]);
    expect(await stored(otherSender.id)).toEqual([]);
    // Refused from another sender than the site's (a row queued before its sender changed): the
    // site that sent it gets the opt-out, not the sites on the site's current sender.
    expect(await failure(transport.send(sms({ to: "+33612348888", from: "+33700000009" })))).toMatchObject({ code: 21610 });
    expect((await stored(site.id)).map((r) => r.phone)).toContain("+33612348888");
    expect((await stored(sibling.id)).map((r) => r.phone)).not.toContain("+33612348888");
    await closeSmsTransports();
  });

  it("a site whose address changes asks Twilio to call back at its new address", async () => {
    const site = await makeSite({ domain: "old-name.example.org", smsUrl: localUrl("?from=Chora") });
    await (await smsForSite(site.id)).send(sms({ siteId: site.id }));
    const [renamed] = await db.update(sites).set({ domain: "new-name.example.org" }).where(eq(sites.id, site.id)).returning();
    await (await smsForSite(site.id)).send(sms({ siteId: site.id }));
    const callbacks = seen.map((s) => new URLSearchParams(s.body).get("StatusCallback"));
    expect(callbacks).toEqual([`${siteBaseUrl({ ...renamed, domain: "old-name.example.org" })}/api/sms/twilio/status`, `${siteBaseUrl(renamed)}/api/sms/twilio/status`]);
    expect(callbacks[1]).toContain("new-name.example.org");
    await closeSmsTransports();
  });

  it("a success without a message sid is not retried (Twilio may have taken it)", async () => {
    answer = () => ({ status: 201, body: { status: "queued" } });
    const err = await failure(twilioTransport(localUrl("?from=Chora")).send(sms()));
    expect(err).toMatchObject({ transient: false });
    expect(errorReason(err.message)?.key).toBe("smsUnconfirmed");
  });

  it("an API that cannot be reached is a transient failure", async () => {
    // A port nothing listens on: bind one, then free it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(twilioTransport(`twilio://${SID}:${TOKEN}@127.0.0.1:${port}?from=Chora`).send(sms()));
    expect(err).toMatchObject({ transient: true, code: "ECONNREFUSED" });
    expect(err.message).toMatch(/^Twilio unreachable \(ECONNREFUSED\)/);
    expect(errorReason(err.message)?.key).toBe("smsUnavailable");
    expect(err.message).not.toContain(TOKEN);
  });
});

describe("Twilio failures read back as reasons (lib/sms/error-reason.ts)", () => {
  const reasonOf = (text: string) => errorReason(text)?.key;

  it("a refused send, by Twilio's code or, without one, its HTTP status", async () => {
    const cases: [number, unknown, string][] = [
      [400, { code: 21211, message: "The 'To' number +3361234 is not a valid phone number.", status: 400 }, "invalidNumber"],
      [400, { code: 21408, message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +2250700000000.", status: 400 }, "smsRegionNotEnabled"],
      [400, { code: 21610, message: "Attempt to send to unsubscribed recipient", status: 400 }, "smsOptedOutAtProvider"],
      [400, { code: 21614, message: "'To' number is not a valid mobile number", status: 400 }, "smsNotMobile"],
      [401, { code: 20003, message: "Authenticate", status: 401 }, "smsLoginRefused"],
      [429, { code: 20429, message: "Too Many Requests", status: 429 }, "smsThrottled"],
      [400, { code: 21606, message: "The From phone number is not a valid, SMS-capable inbound phone number", status: 400 }, "smsInvalidSender"],
      [400, { type: "https://www.twilio.com/docs/errors/21211", title: "Invalid 'To' Phone Number", status: 400, code: 21211, detail: "The 'To' number is not valid." }, "invalidNumber"],
      [400, { code: 21617, message: "The concatenated message body exceeds the 1600 character limit", status: 400 }, "smsRefused"],
      [429, "<html>Slow down</html>", "smsThrottled"],
      [502, "<html>Bad gateway</html>", "smsProviderError"],
    ];
    const transport = twilioTransport(localUrl("?from=Chora"));
    for (const [status, body, key] of cases) {
      answer = () => ({ status, body });
      const { message } = await failure(transport.send(sms()));
      expect([message, reasonOf(message)]).toEqual([message, key]);
    }
  });

  it("a status callback that ends the message, with its ErrorCode when Twilio gives one", () => {
    const reason = (MessageStatus: string, ErrorCode?: string) => twilioStatusReceipt({ MessageSid: "SM1", MessageStatus, ...(ErrorCode ? { ErrorCode } : {}) })!.reason!;
    const cases: [string, string | undefined, string][] = [
      ["undelivered", "30003", "smsHandsetUnreachable"],
      ["undelivered", "30004", "smsBlocked"],
      ["undelivered", "30005", "smsUnknownNumber"],
      ["undelivered", "30006", "smsNotMobile"],
      ["undelivered", "30007", "smsSpamFiltered"],
      ["failed", "30008", "smsUnknownError"],
      ["undelivered", "30034", "receiptUndelivered"],
      ["undelivered", undefined, "receiptUndelivered"],
      ["failed", undefined, "receiptFailed"],
      ["canceled", undefined, "receiptCanceled"],
    ];
    for (const [status, code, key] of cases) expect([status, code, reasonOf(reason(status, code))]).toEqual([status, code, key]);
  });
});

describe("twilioStatusReceipt", () => {
  it("maps final statuses to receipts and the rest to null", () => {
    expect(twilioStatusReceipt({ MessageSid: "SM1", MessageStatus: "delivered" })).toEqual({ providerMessageId: "SM1", delivered: true });
    expect(twilioStatusReceipt({ MessageSid: "SM1", MessageStatus: "undelivered", ErrorCode: "30003" })).toEqual({
      providerMessageId: "SM1",
      delivered: false,
      reason: "undelivered (30003)",
    });
    expect(twilioStatusReceipt({ MessageSid: "SM1", MessageStatus: "failed", ErrorCode: "30008" })).toMatchObject({ delivered: false, reason: "failed (30008)" });
    expect(twilioStatusReceipt({ MessageSid: "SM1", MessageStatus: "failed" })).toMatchObject({ delivered: false, reason: "failed" });
    for (const status of ["queued", "sending", "sent", "accepted", "scheduled", "read", "whatever"]) {
      expect(twilioStatusReceipt({ MessageSid: "SM1", MessageStatus: status }), status).toBeNull();
    }
    expect(twilioStatusReceipt({ MessageStatus: "delivered" })).toBeNull();
  });

  it("validTwilioSignature: the package's HMAC, false when missing or wrong", () => {
    const url = "https://sms.example.org/api/sms/twilio/status";
    const params = { MessageSid: "SM1", MessageStatus: "delivered" };
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    expect(validTwilioSignature(TOKEN, signature, url, params)).toBe(true);
    expect(validTwilioSignature(TOKEN, null, url, params)).toBe(false);
    expect(validTwilioSignature(TOKEN, "", url, params)).toBe(false);
    expect(validTwilioSignature("other-token", signature, url, params)).toBe(false);
    expect(validTwilioSignature(TOKEN, signature, url, { ...params, MessageStatus: "failed" })).toBe(false);
    expect(validTwilioSignature(TOKEN, signature, "not a url", params)).toBe(false);
  });
});

// ─── The status callback route ───────────────────────────────────────────────────────────────

describe("POST /api/sms/twilio/status", () => {
  let site: Site;
  let callbackUrl: string;

  beforeAll(async () => {
    site = await makeSite({ domain: "sms-callback.example.org", smsUrl: `twilio://${SID}:${TOKEN}@api.twilio.com?from=%2B33700000001` });
    callbackUrl = `${siteBaseUrl(site)}/api/sms/twilio/status`;
  });

  /** A queue row for an SMS recorded sent with Twilio's sid. */
  async function sentSms(sid: string, phone = "+33612345678") {
    const { messageId } = await enqueue({
      siteId: site.id,
      channel: "sms",
      message: { kind: "test", subject: "", text: "Bonjour", fromName: "", fromAddress: "" },
      recipients: [{ address: phone }],
    });
    const [row] = await db.update(queue).set({ status: "sent", providerMessageId: sid, sentAt: new Date() }).where(eq(queue.messageId, messageId)).returning();
    return row;
  }
  const rowOf = async (id: number) => (await db.select().from(queue).where(eq(queue.id, id)))[0];
  const historyOf = async (id: number) =>
    (await db.select().from(queueEvents).where(eq(queueEvents.queueId, id)).orderBy(queueEvents.id)).map((e) => [e.fromStatus, e.toStatus, e.actor, e.error]);

  /** Twilio's request: the form, signed over the public URL (plus any query), to the site's host. */
  function callback(
    params: Record<string, string>,
    opts: { signature?: string | null; query?: string; host?: string; body?: string; contentType?: string; requestUrl?: string } = {},
  ) {
    const query = opts.query ?? "";
    const signature = opts.signature === undefined ? twilio.getExpectedTwilioSignature(TOKEN, callbackUrl + query, params) : opts.signature;
    const headers: Record<string, string> = {
      host: opts.host ?? site.domain,
      "content-type": opts.contentType ?? "application/x-www-form-urlencoded",
      "user-agent": "TwilioProxy/1.1",
    };
    if (signature !== null) headers["x-twilio-signature"] = signature;
    // Behind the proxy, the app sees its internal address, not the URL Twilio called.
    return POST(new Request(opts.requestUrl ?? `http://127.0.0.1:3000/api/sms/twilio/status${query}`, { method: "POST", headers, body: opts.body ?? new URLSearchParams(params).toString() }));
  }
  const status = (sid: string, MessageStatus: string, extra: Record<string, string> = {}) => ({
    AccountSid: SID,
    ApiVersion: "2010-04-01",
    From: "+33700000001",
    To: "+33612345678",
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus,
    SmsStatus: MessageStatus,
    ...extra,
  });

  it("a signed `delivered` makes the sent row delivered, with history", async () => {
    const row = await sentSms("SM123");
    const res = await callback(status("SM123", "delivered"));
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(await rowOf(row.id)).toMatchObject({ status: "delivered", lastError: null });
    expect((await rowOf(row.id)).deliveredAt).not.toBeNull();
    expect(await historyOf(row.id)).toEqual([["sent", "delivered", "twilio", null]]);

    // Twilio delivers callbacks at least once: the same one again changes nothing.
    const again = await callback(status("SM123", "delivered"));
    expect(again.ok).toBe(true);
    expect(await historyOf(row.id)).toEqual([["sent", "delivered", "twilio", null]]);
    // `read` (after delivered) is not final news either.
    expect((await callback(status("SM123", "read"))).ok).toBe(true);
    expect(await historyOf(row.id)).toHaveLength(1);
  });

  it("`undelivered` with an error code turns the row to a final error with the reason", async () => {
    const row = await sentSms("SMundelivered0001", "+33611111111");
    const res = await callback(status("SMundelivered0001", "undelivered", { ErrorCode: "30003" }));
    expect(res.ok).toBe(true);
    expect(await rowOf(row.id)).toMatchObject({ status: "error", lastError: "undelivered (30003)", retryable: false });
    expect(await historyOf(row.id)).toEqual([["sent", "error", "twilio", "undelivered (30003)"]]);
  });

  it("the query string Twilio called with is part of what is checked", async () => {
    const row = await sentSms("SMwithquery0001", "+33622222222");
    const ok = await callback(status("SMwithquery0001", "delivered"), { query: "?site=1&note=caf%C3%A9" });
    expect(ok.ok).toBe(true);
    expect((await rowOf(row.id)).status).toBe("delivered");
    // Signed without the query, called with it: refused.
    const other = await sentSms("SMwithquery0002", "+33633333333");
    const sig = twilio.getExpectedTwilioSignature(TOKEN, callbackUrl, status("SMwithquery0002", "delivered"));
    expect((await callback(status("SMwithquery0002", "delivered"), { signature: sig, query: "?x=1" })).status).toBe(403);
    expect((await rowOf(other.id)).status).toBe("sent");
  });

  it("an invalid or missing signature is 403 and writes nothing", async () => {
    const row = await sentSms("SMforged0001", "+33644444444");
    const params = status("SMforged0001", "undelivered", { ErrorCode: "30003" });
    const forged = [
      twilio.getExpectedTwilioSignature("wrong-token", callbackUrl, params),
      twilio.getExpectedTwilioSignature(TOKEN, callbackUrl, { ...params, MessageStatus: "delivered" }), // another form
      twilio.getExpectedTwilioSignature(TOKEN, "https://evil.example.net/api/sms/twilio/status", params), // another URL
      "not-base64!",
      "",
    ];
    for (const signature of forged) {
      const res = await callback(params, { signature });
      expect(res.status, signature).toBe(403);
      expect(await res.text()).toBe("");
    }
    expect((await callback(params, { signature: null })).status).toBe(403);
    expect(await rowOf(row.id)).toMatchObject({ status: "sent", lastError: null });
    expect(await historyOf(row.id)).toEqual([]);
    expect(await db.select().from(queueReceipts).where(eq(queueReceipts.providerMessageId, "SMforged0001"))).toEqual([]);
  });

  it("a signed callback for an unknown sid is answered 2xx (and kept for later), with a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const res = await callback(status("SMnobodyknows0001", "delivered"));
      expect(res.ok).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("SMnobodyknows0001"));
    } finally {
      warn.mockRestore();
    }
  });

  it("statuses on the way (queued, sent…) change nothing", async () => {
    const row = await sentSms("SMontheway0001", "+33655555555");
    for (const s of ["queued", "sending", "sent", "accepted"]) {
      const res = await callback(status("SMontheway0001", s));
      expect(res.ok, s).toBe(true);
    }
    expect((await rowOf(row.id)).status).toBe("sent");
    expect(await historyOf(row.id)).toEqual([]);
  });

  it("malformed requests are 400, never 500", async () => {
    const row = await sentSms("SMmalformed0001", "+33666666666");
    // not a form
    const json = JSON.stringify(status("SMmalformed0001", "delivered"));
    expect((await callback({}, { body: json, contentType: "application/json" })).status).toBe(400);
    expect((await callback({}, { body: "MessageSid=SMmalformed0001", contentType: "" })).status).toBe(400);
    // a field twice
    expect((await callback({}, { body: "MessageSid=SMmalformed0001&MessageStatus=delivered&MessageStatus=failed" })).status).toBe(400);
    // far too large
    expect((await callback({}, { body: `MessageSid=SMmalformed0001&MessageStatus=delivered&Pad=${"x".repeat(100_000)}` })).status).toBe(400);
    // signed, but names no message or no status
    expect((await callback({ MessageStatus: "delivered", AccountSid: SID })).status).toBe(400);
    expect((await callback({ MessageSid: "SMmalformed0001", AccountSid: SID })).status).toBe(400);
    expect((await callback({})).status).toBe(400);
    // signed, but naming a sid Twilio never gives (a NUL, which PostgreSQL refuses, or markup)
    for (const sid of ["SM\u0000", "SMmalformed0001\u0000", "SM<b>"]) expect((await callback(status(sid, "delivered"))).status, JSON.stringify(sid)).toBe(400);
    expect((await rowOf(row.id)).status).toBe("sent");
  });

  it("a NUL in the error code is dropped from the reason, not a 500", async () => {
    const row = await sentSms("SMnulcode0001", "+33677777777");
    const res = await callback(status("SMnulcode0001", "failed", { ErrorCode: "300\u000005" }));
    expect(res.ok).toBe(true);
    expect(await rowOf(row.id)).toMatchObject({ status: "error", lastError: "failed (30005)" });
  });

  it("a site that does not send through Twilio has no callback here (404)", async () => {
    const other = await makeSite({ domain: "no-twilio.example.org", smsUrl: "smpp://chora:secret@smsc.example.org:2775" });
    expect((await callback(status("SM123", "delivered"), { host: other.domain })).status).toBe(404);
  });
});

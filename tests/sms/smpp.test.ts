import net from "node:net";
import smpp from "smpp";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseSmppUrl, smppTransport, type SmppOptions } from "@/lib/sms/smpp";
import { validSmsUrl } from "@/lib/sms/url";
import type { SmsMessage, SmsReceipt, SmsTransport } from "@/lib/sms/transport";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { smsFailure } from "../helpers/sms-failure";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A fresh SMSC and a transport bound to it (both closed after the test). */
async function setup(smscOptions: Parameters<typeof startSmsc>[0] = {}, transportOptions: SmppOptions = {}, source = "Chora") {
  const smsc = await startSmsc(smscOptions);
  cleanup.push(() => smsc.close());
  const receipts: SmsReceipt[] = [];
  const logs: string[] = [];
  const transport = smppTransport(smsc.url({ source }), {
    onReceipt: (r) => void receipts.push(r),
    log: (msg) => void logs.push(msg),
    ...transportOptions,
  });
  cleanup.push(() => transport.close());
  return { smsc, transport, receipts, logs };
}

let queueId = 0;
const sms = (text: string, over: Partial<SmsMessage> = {}): SmsMessage => ({ to: "+33612345678", from: "", text, siteId: 1, queueId: ++queueId, ...over });

const sendError = (transport: SmsTransport, message: SmsMessage) => smsFailure(transport.send(message));

/**
 * The SMSC saw its submits `spacingMs` apart. Measured where they arrive, so each gap may be a
 * little short when the previous write slipped on a busy machine; unpaced they are ~0 ms apart.
 */
/**
 * The submits went through the pacer, each one: their span at the SMSC is at least one spacing
 * short of what n submits take. Gap by gap is the pacer's own test (tests/sms/smpp-pacer.test.ts,
 * on a fake clock): seen here, through the scheduling of a loaded machine, a late first
 * arrival shortened a gap to 16 ms of 50 while the pacer had spaced them right.
 */
function expectPaced(smsc: SmscHarness, spacingMs: number) {
  const at = smsc.submits.map((s) => s.arrivedAt).sort((x, y) => x - y);
  const shown = `arrivals: ${at.map((t) => (t - at[0]).toFixed(1)).join(", ")}`;
  expect(at.at(-1)! - at[0], shown).toBeGreaterThanOrEqual((at.length - 2) * spacingMs);
}

/** From now to the end of the test, every timer fires `ms` early, as Node's may by a millisecond. */
function timersFireEarly(ms: number) {
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, delay?: number, ...rest: unknown[]) => realSetTimeout(fn, Math.max(0, (delay ?? 0) - ms), ...rest)) as typeof setTimeout);
  cleanup.push(() => vi.restoreAllMocks());
}

const udhOf = (smsc: SmscHarness) => smsc.submits.map((s) => [...(s.udh ?? [])]);

describe("SMPP transport", () => {
  it("reads the URL: percent-decoded credentials, default ports, a source that keeps its +", () => {
    expect(parseSmppUrl("smpp://my%40id:p%3Ass@smsc.example:2776?source=+33700000000")).toMatchObject({ host: "smsc.example", port: 2776, tls: false, systemId: "my@id", password: "p:ss", source: "+33700000000" });
    expect(parseSmppUrl("smpps://id:pw@smsc.example")).toMatchObject({ port: 3550, tls: true, source: "" });
    expect(() => parseSmppUrl("http://id:pw@smsc.example")).toThrow(/Not an SMPP URL/);
    // ?tps=: the account's submits per second; absent, no pacing; nonsense refused, naming it.
    expect(parseSmppUrl("smpp://id:pw@smsc.example?source=Org&tps=50")).toMatchObject({ source: "Org", tps: 50 });
    expect(parseSmppUrl("smpp://id:pw@smsc.example?tps=0.5").tps).toBe(0.5);
    expect(parseSmppUrl("smpp://id:pw@smsc.example").tps).toBeNull();
    for (const bad of ["", "0", "-5", "fast", "20001", "Infinity"]) expect(() => parseSmppUrl(`smpp://id:pw@smsc.example?tps=${bad}`), bad).toThrow(/\?tps= must be/);
    expect(validSmsUrl("smpp://id:pw@smsc.example?tps=fast")).toBe(false);
  });

  it("?tps= spaces the submits (each part of a long SMS counts) instead of waiting to be throttled", async () => {
    const smsc = await startSmsc();
    cleanup.push(() => smsc.close());
    const transport = smppTransport(smsc.url({ source: "Org", tps: 20 }), { log: () => {}, window: 10 });
    cleanup.push(() => transport.close());
    // Four short SMS at once and a three-part one: seven submits, 50 ms apart at the least.
    const long = Array.from({ length: 400 }, (_, i) => "abcdefghij"[i % 10]).join("");
    await Promise.all([...["a", "b", "c", "d"].map((t) => transport.send(sms(t))), transport.send(sms(long))]);
    expect(smsc.submits).toHaveLength(7);
    expectPaced(smsc, 50);
    expect(smsc.throttled).toBe(0);
  });

  it("two sessions of one account share its pace, at the slower of their rates", async () => {
    const smsc = await startSmsc();
    cleanup.push(() => smsc.close());
    const a = smppTransport(smsc.url({ source: "A", tps: 20 }), { log: () => {} });
    const b = smppTransport(smsc.url({ source: "B", tps: 10 }), { log: () => {} });
    cleanup.push(() => a.close(), () => b.close());
    await Promise.all([a.send(sms("a1")), b.send(sms("b1")), a.send(sms("a2")), b.send(sms("b2"))]);
    expect(smsc.submits.map((s) => s.source).sort()).toEqual(["A", "A", "B", "B"]);
    expectPaced(smsc, 100);
  });

  it("sends GSM-7 text as data_coding 0 from an alphanumeric sender to an international number", async () => {
    const { smsc, transport } = await setup();
    const text = "Hello {friends} - no, wait: 5€ @ Café ~ [ok] \\o/ ^_^ |x|";
    const result = await transport.send(sms(text));
    expect(smsc.submits).toHaveLength(1);
    const [s] = smsc.submits;
    expect(s).toMatchObject({ dataCoding: 0, source: "Chora", sourceTon: 5, destination: "33612345678", esmClass: 0, udh: null, text, registeredDelivery: 1 });
    expect(result.providerMessageId).toBe(s.messageId);
    expect(smsc.binds).toBe(1);
  });

  it("puts GSM 03.38 code points on the wire, one per octet, extension characters behind ESC", async () => {
    // The SMSC above decodes with the same package: compare the bytes themselves with the table.
    const wire: Buffer[] = [];
    const toBuffer = smpp.PDU.prototype.toBuffer;
    const spy = vi.spyOn(smpp.PDU.prototype, "toBuffer").mockImplementation(function (this: smpp.PDU) {
      const bytes = toBuffer.call(this);
      if (this.command === "submit_sm") wire.push(bytes);
      return bytes;
    });
    try {
      const { transport } = await setup();
      await transport.send(sms("@£$¥èéA€{"));
    } finally {
      spy.mockRestore();
    }
    const [pdu] = wire;
    // No TLVs follow: the PDU ends with sm_length and the short message.
    const length = 11; // 9 characters, two of them (€ and {) as ESC + code
    expect(pdu[pdu.length - length - 1]).toBe(length);
    expect([...pdu.subarray(pdu.length - length)]).toEqual([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x41, 0x1b, 0x65, 0x1b, 0x28]);
  });

  it("uses the message's own sender when set: an E.164 number goes as TON 1 without '+'", async () => {
    const { smsc, transport } = await setup();
    await transport.send(sms("Hi", { from: "+33700000001" }));
    expect(smsc.submits[0]).toMatchObject({ source: "33700000001", sourceTon: 1 });
  });

  it("a sender written nationally (trunk 0) goes as a national number (TON 2), a short code as network-specific (TON 3)", async () => {
    const { smsc, transport } = await setup();
    await transport.send(sms("Hi", { from: "0612345678" }));
    await transport.send(sms("Hi", { from: "36000" }));
    expect(smsc.submits.map((s) => [s.source, s.sourceTon])).toEqual([["0612345678", 2], ["36000", 3]]);
  });

  it("sends other text as UCS-2 (data_coding 8), emoji included", async () => {
    const { smsc, transport } = await setup();
    const text = "Привет, мир 👋";
    await transport.send(sms(text));
    expect(smsc.submits[0]).toMatchObject({ dataCoding: 8, text, esmClass: 0 });
  });

  it("splits a long text into UDH-concatenated parts and answers with the first part's id", async () => {
    const { smsc, transport } = await setup();
    const text = Array.from({ length: 400 }, (_, i) => "abcdefghij"[i % 10]).join("");
    const result = await transport.send(sms(text));
    expect(smsc.submits).toHaveLength(3);
    const udhs = udhOf(smsc);
    const ref = udhs[0][3];
    expect(udhs).toEqual([1, 2, 3].map((seq) => [5, 0, 3, ref, 3, seq]));
    expect(smsc.submits.every((s) => (s.esmClass & 0x40) === 0x40 && s.dataCoding === 0)).toBe(true);
    expect(smsc.submits.map((s) => s.text).join("")).toBe(text);
    expect(smsc.submits.map((s) => s.text.length)).toEqual([153, 153, 94]);
    expect(result.providerMessageId).toBe(smsc.submits[0].messageId);
    // The later parts' ids too: their receipts must be recognised by any process (stored on the row).
    expect(result.partIds).toEqual([smsc.submits[1].messageId, smsc.submits[2].messageId]);
    expect((await transport.send(sms("short"))).partIds).toBeUndefined();

    // The next long message gets the next reference number; UCS-2 parts hold 67 units.
    await transport.send(sms("Ж".repeat(140)));
    expect(smsc.submits.slice(4).map((s) => [s.dataCoding, s.text.length, s.udh![3]])).toEqual([
      [8, 67, (ref + 1) & 0xff],
      [8, 67, (ref + 1) & 0xff],
      [8, 6, (ref + 1) & 0xff],
    ]);
  });

  describe("delivery receipts", () => {
    it("reports DELIVRD as delivered", async () => {
      const { transport, receipts, smsc } = await setup({ receipts: "auto" });
      const { providerMessageId } = await transport.send(sms("Hello"));
      await vi.waitFor(() => expect(receipts).toEqual([{ providerMessageId, delivered: true }]));
      // Answered once stored: the SMSC reads the answer a moment after onReceipt returned.
      await vi.waitFor(() => expect(smsc.receiptsAcked).toBe(1));
    });

    it("reports UNDELIV as not delivered with the state and error, from TLVs or from the text alone", async () => {
      const { transport, receipts, smsc } = await setup();
      const a = await transport.send(sms("one"));
      const b = await transport.send(sms("two"));
      await smsc.sendReceipt(a.providerMessageId, "UNDELIV", "034");
      await smsc.sendReceipt(b.providerMessageId, "EXPIRED", "000", { tlvs: false });
      expect(receipts).toEqual([
        { providerMessageId: a.providerMessageId, delivered: false, reason: "UNDELIV err:034" },
        { providerMessageId: b.providerMessageId, delivered: false, reason: "EXPIRED err:000" },
      ]);
    });

    it("reports a long message once, by its first part's receipt; the other parts' receipts are acknowledged quietly", async () => {
      const { transport, receipts, smsc, logs } = await setup();
      const { providerMessageId } = await transport.send(sms("x".repeat(320)));
      const [first, second, third] = smsc.submits;
      await smsc.sendReceipt(second.messageId, "DELIVRD");
      await smsc.sendReceipt(third.messageId, "DELIVRD");
      expect(receipts).toEqual([]);
      await smsc.sendReceipt(first.messageId, "DELIVRD");
      expect(receipts).toEqual([{ providerMessageId, delivered: true }]);
      expect(smsc.receiptsAcked).toBe(3);
      expect(logs).toEqual([]);
    });

    it("reports a later part's failure under that part's id: the message arrived cut short", async () => {
      const { transport, receipts, smsc } = await setup();
      const { providerMessageId, partIds } = await transport.send(sms("x".repeat(320)));
      await smsc.sendReceipt(smsc.submits[0].messageId, "DELIVRD");
      await smsc.sendReceipt(smsc.submits[1].messageId, "UNDELIV", "034");
      await smsc.sendReceipt(smsc.submits[2].messageId, "DELIVRD");
      expect(receipts).toEqual([
        { providerMessageId, delivered: true },
        { providerMessageId: partIds![0], delivered: false, reason: "UNDELIV err:034" },
      ]);
      // Heard again (the SMSC did not see our answer): reported again, the queue counts it once.
      await smsc.sendReceipt(smsc.submits[1].messageId, "UNDELIV", "034");
      expect(receipts.slice(2)).toEqual([{ providerMessageId: partIds![0], delivered: false, reason: "UNDELIV err:034" }]);
    });

    it("ignores later parts' receipts even when each arrives right behind its submit_sm_resp", async () => {
      const { transport, receipts, smsc } = await setup({ receipts: "auto" });
      const { providerMessageId } = await transport.send(sms("y".repeat(500)));
      await vi.waitFor(() => expect(smsc.receiptsAcked).toBe(4));
      expect(receipts).toEqual([{ providerMessageId, delivered: true }]);
    });

    it("a receipt or reply that could not be stored is answered with a temporary error, so the SMSC delivers it again", async () => {
      const smsc = await startSmsc();
      cleanup.push(() => smsc.close());
      const logs: string[] = [];
      let down = true; // the database, briefly unreachable
      const receipts: SmsReceipt[] = [];
      const inbound: string[] = [];
      const store = <T>(list: T[], item: T) => {
        if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        list.push(item);
      };
      const transport = smppTransport(smsc.url(), {
        onReceipt: async (r) => store(receipts, r),
        onInbound: async (m) => store(inbound, m.text),
        log: (msg) => void logs.push(msg),
      });
      cleanup.push(() => transport.close());
      const { providerMessageId } = await transport.send(sms("Hello", { from: "Chora" }));
      expect(await smsc.sendReceipt(providerMessageId, "DELIVRD")).toBe(0x64); // ESME_RX_T_APPN
      expect(await smsc.sendInbound("+33612345678", "STOP")).toBe(0x64);
      expect(smsc.receiptsAcked).toBe(0);
      expect(logs).toEqual(["delivery receipt not recorded", "inbound SMS not handled"]);

      down = false;
      expect(await smsc.sendReceipt(providerMessageId, "DELIVRD")).toBe(0);
      expect(await smsc.sendInbound("+33612345678", "STOP")).toBe(0);
      expect(receipts).toEqual([{ providerMessageId, delivered: true }]);
      expect(inbound).toEqual(["STOP"]);
    });

    it("one the database refuses as such (a value it cannot hold) is answered with a permanent error: offering it again would not help", async () => {
      const smsc = await startSmsc();
      cleanup.push(() => smsc.close());
      // What postgres-js (and PGlite) throw for a text PostgreSQL cannot store, or a broken constraint.
      const refused = (code: string) => Object.assign(new Error("refused by the database"), { code });
      let next = "22021";
      const transport = smppTransport(smsc.url(), {
        onReceipt: async () => {
          throw refused(next);
        },
        onInbound: async () => {
          throw refused("23505");
        },
        log: () => {},
      });
      cleanup.push(() => transport.close());
      const { providerMessageId } = await transport.send(sms("Hello", { from: "Chora" }));
      expect(await smsc.sendReceipt(providerMessageId, "DELIVRD")).toBe(0x65); // ESME_RX_P_APPN
      expect(await smsc.sendInbound("+33612345678", "STOP")).toBe(0x65);
      // A serialization failure (40001) may pass on the next try: temporary.
      next = "40001";
      expect(await smsc.sendReceipt(providerMessageId, "DELIVRD")).toBe(0x64);
    });
  });

  describe("errors", () => {
    it("a throttled submit pauses the transport and is submitted again, each pause twice the last", async () => {
      const { smsc, transport } = await setup({}, { throttle: { firstPauseMs: 60, maxPauseMs: 1_000 } });
      smsc.failNext(0x58, 3); // ESME_RTHROTTLED three times, then accepted
      const started = Date.now();
      const { providerMessageId } = await transport.send(sms("Patience"));
      // Paused 60 + 120 + 240 ms before the fourth submit: it cannot have gone sooner.
      expect(Date.now() - started).toBeGreaterThanOrEqual(60 + 120 + 240 - 5);
      expect(smsc.submits.map((s) => [s.messageId, s.text])).toEqual([[providerMessageId, "Patience"]]);
      // "Message queue full" is the same request; and a success resets the pause to the first one.
      smsc.failNext(0x14, 1);
      const again = Date.now();
      await transport.send(sms("Queue full once"));
      expect(Date.now() - again).toBeGreaterThanOrEqual(60 - 5);
      // Not the 480 ms the fourth doubling would have given: the success in between reset it.
      expect(Date.now() - again).toBeLessThan(400);
      expect(smsc.submits).toHaveLength(2);
    });

    it("pauses still double when a timer fires before Date.now() reaches its end (as Node's may, by a millisecond)", async () => {
      // Every timer 3 ms early: a loopback answer then came back before the clock reached the
      // pause's end, and was taken for a late answer of the pause before: 60 + 120, no 240.
      const { smsc, transport } = await setup({}, { throttle: { firstPauseMs: 60, maxPauseMs: 1_000 } });
      await transport.send(sms("bound"));
      timersFireEarly(3);
      smsc.failNext(0x58, 3);
      const started = Date.now();
      await transport.send(sms("Patience"));
      expect(Date.now() - started).toBeGreaterThanOrEqual(60 + 120 + 240 - 3 * 3 - 5);
      expect(smsc.submits.map((s) => s.text)).toEqual(["bound", "Patience"]);
    });

    it("senders waiting for a slot do not slip in during a pause: only the window's submits are refused", async () => {
      // Ten sends through a window of two: eight wait for a slot while the first two are refused.
      const { smsc, transport } = await setup({}, { window: 2, throttle: { firstPauseMs: 300, maxPauseMs: 10_000 } });
      await transport.send(sms("warm-up")); // bound
      smsc.throttleFor(150);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => transport.send(sms(`burst ${i}`))));
      expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(10);
      expect(smsc.submits).toHaveLength(11);
      // The two in flight when the throttling began; everyone else waited out the pause.
      expect(smsc.throttled).toBe(2);
    });

    it("the parts of one long SMS keep one reference while other long SMS go out between them", async () => {
      const { smsc, transport } = await setup({ responseDelayMs: 5 }, { window: 4 });
      await Promise.all([transport.send(sms("a".repeat(300))), transport.send(sms("b".repeat(300))), transport.send(sms("c".repeat(300)))]);
      const refs = new Map<string, Set<number>>();
      for (const s of smsc.submits) refs.set(s.text[0], (refs.get(s.text[0]) ?? new Set()).add(s.udh![3])); // UDHL, IEI, IEDL, ref, total, seq
      expect([...refs.values()].map((r) => r.size)).toEqual([1, 1, 1]);
      expect(new Set([...refs.values()].map((r) => [...r][0])).size).toBe(3);
    });

    it("gives up once throttling outlasts its patience: transient, with the SMSC's code", async () => {
      const { smsc, transport } = await setup({}, { throttle: { firstPauseMs: 50, patienceMs: 0 } });
      smsc.failNext(0x58);
      const error = await sendError(transport, sms("Hello"));
      expect(error).toMatchObject({ transient: true, code: 0x58, message: "SMPP submit_sm: ESME_RTHROTTLED (0x58)" });
      const next = await transport.send(sms("Hello again"));
      expect(next.providerMessageId).toBe(smsc.submits[0].messageId);
      expect(smsc.binds).toBe(1);
    });

    it("ESME_RINVDSTADR is permanent", async () => {
      const { smsc, transport } = await setup();
      smsc.failNext(0x0b);
      const error = await sendError(transport, sms("Hello"));
      expect(error).toMatchObject({ transient: false, code: 0x0b, message: "SMPP submit_sm: ESME_RINVDSTADR (0x0B)" });
    });

    it("a refused sender is transient, as Twilio's From errors are: the site's settings, mended, let the rows go", async () => {
      const { smsc, transport } = await setup();
      smsc.failNext(0x0a);
      expect(await sendError(transport, sms("Hello"))).toMatchObject({ transient: true, code: 0x0a, message: "SMPP submit_sm: ESME_RINVSRCADR (0x0A)" });
      smsc.failNext(0x04);
      expect(await sendError(transport, sms("Hello"))).toMatchObject({ transient: true, code: 0x04 });
    });

    it("a vendor-specific status (≥ 0x400) is transient", async () => {
      const { smsc, transport } = await setup();
      smsc.failNext(0x401);
      expect(await sendError(transport, sms("Hello"))).toMatchObject({ transient: true, code: 0x401 });
    });

    it("a refused bind is transient, and sends then fail fast until the backoff has passed", async () => {
      const smsc = await startSmsc();
      cleanup.push(() => smsc.close());
      const transport = smppTransport(smsc.url({ password: "wrong" }), { log: () => {} });
      cleanup.push(() => transport.close());
      const error = await sendError(transport, sms("Hello", { from: "Chora" }));
      expect(error).toMatchObject({ transient: true, code: 0x0e, message: expect.stringContaining("bind_transceiver") });
      // Failing fast is the message's: it names the backoff instead of a connection attempt's outcome.
      const again = await sendError(transport, sms("Hello", { from: "Chora" }));
      expect(again.transient).toBe(true);
      expect(again.message).toMatch(/next connection attempt/);
      expect(smsc.binds).toBe(0);
    });

    it("an unreachable SMSC is a transient error", async () => {
      const smsc = await startSmsc();
      const url = smsc.url();
      await smsc.close();
      const transport = smppTransport(url, { log: () => {} });
      cleanup.push(() => transport.close());
      expect(await sendError(transport, sms("Hello", { from: "Chora" }))).toMatchObject({ transient: true });
    });
  });

  it("keeps at most `window` submit_sm outstanding", async () => {
    // The SMSC shares this process: the answer delay must outlast any pause the process gets on
    // a busy machine, or a submit is answered before the next one is read (seen at 40 ms in CI).
    const { smsc, transport } = await setup({ responseDelayMs: 250 }, { window: 2 });
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => transport.send(sms(`message ${i}`))));
    expect(new Set(results.map((r) => r.providerMessageId)).size).toBe(7);
    expect(smsc.submits).toHaveLength(7);
    expect(smsc.maxOutstanding).toBe(2);
  });

  it("submits made in the same turn of the event loop leave in one write", async () => {
    const { smsc, transport } = await setup({}, { window: 10 });
    await transport.send(sms("warm-up")); // bound
    // The client's socket is the one whose peer is the SMSC (the SMSC's own sockets answer).
    const writes: number[] = [];
    type Write = (this: net.Socket, ...args: unknown[]) => unknown;
    const proto = net.Socket.prototype as unknown as { _write: Write; _writev: Write };
    const [originalWrite, originalWritev] = [proto._write, proto._writev];
    const write = vi.spyOn(proto, "_write").mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === smsc.port) writes.push(1);
      return originalWrite.apply(this, args);
    });
    const writev = vi.spyOn(proto, "_writev").mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      if (this.remotePort === smsc.port) writes.push((args[0] as unknown[]).length);
      return originalWritev.apply(this, args);
    });
    try {
      await Promise.all(Array.from({ length: 5 }, (_, i) => transport.send(sms(`burst ${i}`))));
    } finally {
      write.mockRestore();
      writev.mockRestore();
    }
    expect(smsc.submits).toHaveLength(6);
    expect(writes).toEqual([5]); // one writev of five PDUs, not five writes
  });

  it("a dropped connection fails the unanswered submits (transient) and the next send binds again", async () => {
    const { smsc, transport } = await setup();
    await transport.send(sms("warm-up"));
    smsc.dropAfter(2);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => transport.send(sms(`message ${i}`))));
    const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(fulfilled).toHaveLength(2);
    expect(rejected).toHaveLength(3);
    for (const r of rejected) expect(r.reason).toMatchObject({ name: "SmsSendError", transient: true });
    expect(smsc.submits).toHaveLength(3);

    const after = await transport.send(sms("after the drop"));
    expect(after.providerMessageId).toBe(smsc.submits[3].messageId);
    expect(smsc.binds).toBe(2);
  });

  it("a PDU the package cannot read drops the session: unanswered submits fail as lost, not after a timeout, and the next send binds again", async () => {
    // The response timeout outlasts the test's own: a submit left on the wedged session would fail the test.
    const { smsc, transport, logs } = await setup({}, { responseTimeoutMs: 600_000 });
    await transport.send(sms("warm-up"));
    smsc.garbleAfter(1); // behind the first answer: the package stops reading that socket for good
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, (_, i) => transport.send(sms(`message ${i}`))));
    expect(outcomes[0]).toMatchObject({ status: "fulfilled", value: { providerMessageId: smsc.submits[1].messageId } });
    for (const o of outcomes.slice(1)) {
      expect(o).toMatchObject({ status: "rejected", reason: { name: "SmsSendError", transient: true } });
      expect((o as PromiseRejectedResult).reason.message).toMatch(/lost before submit_sm_resp/);
    }
    expect(logs.some((l) => /PDU length was too large/.test(l))).toBe(true);

    const after = await transport.send(sms("after the wedge"));
    expect(after.providerMessageId).toBe(smsc.submits.at(-1)!.messageId);
    expect(smsc.binds).toBe(2);
  });

  it("a listening transport whose session cannot read a PDU binds again and hears what the SMSC sends next", async () => {
    const inbound: { text: string }[] = [];
    const { smsc, transport } = await setup({}, { onInbound: (m) => void inbound.push(m) });
    transport.listen!();
    smsc.garbleAfter(1);
    await transport.send(sms("answered, then garbage"));
    await vi.waitFor(() => expect(smsc.binds).toBe(2), { timeout: 10_000 });
    expect(await smsc.sendInbound("+33612345678", "STOP")).toBe(0);
    expect(inbound).toMatchObject([{ text: "STOP" }]);
  });

  describe("listen()", () => {
    it("binds without sending, so receipts the SMSC held are heard; binds again after a drop; stops on close", async () => {
      const smsc = await startSmsc();
      cleanup.push(() => smsc.close());
      const held = smsc.sendReceipt("held-1", "DELIVRD"); // sent by an earlier process, now gone
      const receipts: SmsReceipt[] = [];
      const inbound: { from: string; text: string }[] = [];
      const transport = smppTransport(smsc.url(), { onReceipt: (r) => void receipts.push(r), onInbound: (m) => void inbound.push(m), log: () => {} });
      cleanup.push(() => transport.close());
      transport.listen!();
      transport.listen!(); // twice: still one session
      await held;
      expect(receipts).toEqual([{ providerMessageId: "held-1", delivered: true }]);
      expect(smsc.binds).toBe(1);
      expect(smsc.submits).toEqual([]);

      smsc.dropNow();
      await vi.waitFor(() => expect(smsc.binds).toBe(2), { timeout: 5_000 });
      await smsc.sendInbound("+33612345678", "STOP");
      expect(inbound).toEqual([{ from: "+33612345678", text: "STOP", to: "36000" }]);

      await transport.close();
      expect(smsc.unbinds).toBe(1);
      // Closed: nothing binds again (a listening transport would after 1 s).
      await new Promise((r) => setTimeout(r, 1_500));
      expect(smsc.binds).toBe(2);
    });

    it("after a failed bind, tries again when the backoff ends even if its timer fires a little early", async () => {
      // A port nothing listens on: every attempt is refused, and logged.
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
      const port = (probe.address() as net.AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
      timersFireEarly(3);
      const logs: string[] = [];
      const transport = smppTransport(`smpp://chora:secret@127.0.0.1:${port}`, { log: (msg) => void logs.push(msg) });
      cleanup.push(() => transport.close());
      transport.listen!();
      // The second attempt comes after the first backoff (500 ms): a real one, not a "next
      // connection attempt in 1 s" refusal that would put it off by a whole backoff more.
      await vi.waitFor(() => expect(logs.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
      expect(logs.slice(0, 2).filter((l) => /next connection attempt/.test(l))).toEqual([]);
    });

    it("tells the parts of a long SMS (UDH with an 8- or 16-bit reference, or SAR TLVs) and reads a text sent in message_payload", async () => {
      const smsc = await startSmsc();
      cleanup.push(() => smsc.close());
      const inbound: unknown[] = [];
      const transport = smppTransport(smsc.url(), { onInbound: (m) => void inbound.push(m), log: () => {} });
      cleanup.push(() => transport.close());
      transport.listen!();
      await smsc.sendInbound("+33612345678", "first half, ", { udh: { ref: 7, total: 2, seq: 1 } });
      await smsc.sendInbound("+33612345678", "ça continue", { coding: "ucs2", udh: { ref: 0x1234, total: 3, seq: 2, ref16: true } });
      await smsc.sendInbound("+33612345678", "third", { sar: { ref: 513, total: 3, seq: 3 } });
      await smsc.sendInbound("+33612345678", "a long text the SMSC sent whole", { payload: true });
      await smsc.sendInbound("+33612345678", "a part in message_payload", { payload: true, udh: { ref: 8, total: 2, seq: 2 } });
      await smsc.sendInbound("+33612345678", "odd header", { udh: { ref: 9, total: 2, seq: 3 } }); // seq > total: taken as one SMS
      expect(inbound).toEqual([
        { from: "+33612345678", to: "36000", text: "first half, ", part: { ref: 7, total: 2, seq: 1 } },
        { from: "+33612345678", to: "36000", text: "ça continue", part: { ref: 0x1234, total: 3, seq: 2 } },
        { from: "+33612345678", to: "36000", text: "third", part: { ref: 513, total: 3, seq: 3 } },
        { from: "+33612345678", to: "36000", text: "a long text the SMSC sent whole" },
        { from: "+33612345678", to: "36000", text: "a part in message_payload", part: { ref: 8, total: 2, seq: 2 } },
        { from: "+33612345678", to: "36000", text: "odd header" },
      ]);
    });

    it("keeps the session alive with enquire_link, and drops (then rebinds) a peer that stops answering them", async () => {
      const { smsc, transport, logs } = await setup({}, { enquireLinkMs: 100 });
      transport.listen!();
      await vi.waitFor(() => expect(smsc.enquireLinks).toBeGreaterThanOrEqual(2), { timeout: 3_000 });
      expect(smsc.binds).toBe(1);
      smsc.goSilent();
      // Three periods without hearing anything: the session is taken for dead and replaced.
      await vi.waitFor(() => expect(smsc.binds).toBe(2), { timeout: 5_000 });
      expect(logs.some((l) => /^connection to 127\.0\.0\.1:\d+ lost/.test(l))).toBe(true);
    });

    it("keeps trying, with backoff, while the SMSC is unreachable", async () => {
      const smsc = await startSmsc();
      const url = smsc.url();
      await smsc.close(); // nothing listens on that port any more
      const logs: string[] = [];
      const transport = smppTransport(url, { log: (msg) => void logs.push(msg) });
      cleanup.push(() => transport.close());
      transport.listen!();
      // First attempt at once, the next after the 0.5 s backoff (then 1 s, 2 s…).
      await vi.waitFor(() => expect(logs.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
      expect(logs[0]).toMatch(/^listening for receipts and replies: SMPP connection to 127\.0\.0\.1:\d+ failed/);
    });
  });

  it("close() unbinds and closes the session", async () => {
    const { smsc, transport } = await setup();
    await transport.send(sms("Hello"));
    await transport.close();
    expect(smsc.unbinds).toBe(1);
    await vi.waitFor(() => expect(smsc.sessions).toBe(0));
    expect(await sendError(transport, sms("too late"))).toMatchObject({ transient: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { until } from "../helpers/wait";
import { makeSite } from "../helpers/factories";
import { loadQueue } from "./load-queue";

// SMS through the whole queue, into a real SMSC on loopback (the smpp package's server side):
// the same runner, leases, retries and history as email. Retries are due at once.
const q = await loadQueue({ QUEUE_BACKOFF_SECONDS: "0", QUEUE_MAX_ATTEMPTS: "3", SMTP_POOL_SIZE: "5" });
const { smppTransport } = await import("@/lib/sms/smpp");
type SmppOptions = import("@/lib/sms/smpp").SmppOptions;
const { recordReceipt } = await import("@/lib/queue/receipts");
const { sites } = q.schema;
type SmsTransport = import("@/lib/sms/transport").SmsTransport;

const sms = (text: string) => ({ kind: "sms", subject: "", text, fromName: "", fromAddress: "ChoraOrg" });

let smsc: SmscHarness;
const opened: SmsTransport[] = [];
/** A transport like lib/sms/resolve.ts builds: receipts go to the queue. */
function transport(harness: SmscHarness, window = 10, throttle?: SmppOptions["throttle"]) {
  const t = smppTransport(harness.url(), {
    window,
    throttle,
    onReceipt: (r) => recordReceipt({ channel: "sms", providerMessageId: r.providerMessageId, delivered: r.delivered, reason: r.reason, actor: "smpp" }).then(() => undefined),
  });
  opened.push(t);
  return t;
}
const run = (kind: "send" | "retry", siteId: number, t: SmsTransport) => q.runQueue({ kind, siteId, runner: `test-${kind}`, sms: async () => t });

beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
});
afterAll(async () => {
  await Promise.allSettled(opened.map((t) => t.close()));
  await smsc.close();
});

describe("SMS in the queue (SMPP)", () => {
  it("sends personalised texts to E.164 numbers and turns receipts into delivered, even one that beats the outcome", async () => {
    const site = await makeSite();
    await q.db.update(sites).set({ defaultCountry: "FR" }).where(eq(sites.id, site.id));
    const auto = await startSmsc({ receipts: "auto" }); // a receipt right after each submit_sm_resp
    try {
      await q.enqueue({
        siteId: site.id,
        channel: "sms",
        message: sms("Bonjour {{name}}, réunion à 18h."),
        recipients: [
          { address: "06 12 34 56 78", name: "Ann" },
          { address: "+32 470 12 34 56", name: "Bob" },
        ],
      });
      const rows = await q.siteRows(site.id);
      expect(rows.map((r) => r.recipient)).toEqual(["+33612345678", "+32470123456"]);

      const summary = await run("send", site.id, transport(auto));
      expect(summary).toMatchObject({ claimed: 2, sent: 2, failed: 0 });
      const submits = auto.submits.slice().sort((a, b) => a.destination.localeCompare(b.destination));
      expect(submits.map((s) => [s.destination, s.source, s.text])).toEqual([
        ["32470123456", "ChoraOrg", "Bonjour Bob, réunion à 18h."],
        ["33612345678", "ChoraOrg", "Bonjour Ann, réunion à 18h."],
      ]);
      expect(submits.every((s) => s.registeredDelivery === 1)).toBe(true);

      await until("both rows delivered", async () => (await q.siteRows(site.id)).every((r) => r.status === "delivered"));
      for (const r of await q.siteRows(site.id)) {
        expect(r.providerMessageId).toBe(auto.submits.find((s) => s.destination === r.recipient.slice(1))?.messageId);
        expect(r.deliveredAt).not.toBeNull();
        expect(await q.history(r.id)).toBe("pending>sending>sent>delivered");
      }
    } finally {
      await auto.close();
    }
  });

  it("refuses invalid numbers at enqueue, storing nothing", async () => {
    const site = await makeSite();
    await expect(q.enqueue({ siteId: site.id, channel: "sms", message: sms("x"), recipients: [{ address: "+33612345678" }, { address: "12" }] })).rejects.toMatchObject({
      name: "InvalidRecipientsError",
      invalid: ["12"],
    });
    expect(await q.siteRows(site.id)).toEqual([]);
  });

  it("a brief throttle is absorbed by the transport: sent in the same run, one attempt", async () => {
    const site = await makeSite();
    await q.enqueue({ siteId: site.id, channel: "sms", message: sms("Throttled twice"), recipients: [{ address: "+33612340009" }] });
    smsc.failNext(0x58, 2);
    expect(await run("send", site.id, transport(smsc, 10, { firstPauseMs: 20 }))).toMatchObject({ sent: 1, failed: 0 });
    const [row] = await q.siteRows(site.id);
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("backs off on a throttle that outlasts the transport's patience, then sends it with the retry runner", async () => {
    const site = await makeSite();
    await q.enqueue({ siteId: site.id, channel: "sms", message: sms("Throttled once"), recipients: [{ address: "+33612340001" }] });
    const t = transport(smsc, 10, { patienceMs: 0 });
    smsc.failNext(0x58); // ESME_RTHROTTLED
    expect(await run("send", site.id, t)).toMatchObject({ sent: 0, failed: 1 });
    const [failed] = await q.siteRows(site.id);
    expect(failed).toMatchObject({ status: "error", retryable: true, attempts: 1 });
    expect(failed.lastError).toMatch(/THROTTLED|0x58/i);
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(failed.updatedAt.getTime() - 1000);
    // QUEUE_BACKOFF_SECONDS=0 here: the retry is due at once, not in a minute.
    expect(failed.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    expect(await run("retry", site.id, t)).toMatchObject({ claimed: 1, sent: 1 });
    const [sent] = await q.siteRows(site.id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2 });
    expect(await q.history(sent.id)).toBe("pending>sending>error>sending>sent");
  });

  it("ends an invalid destination in error without retrying it", async () => {
    const site = await makeSite();
    await q.enqueue({ siteId: site.id, channel: "sms", message: sms("Nobody"), recipients: [{ address: "+33612340002" }] });
    const t = transport(smsc);
    smsc.failNext(0x0b); // ESME_RINVDSTADR
    expect(await run("send", site.id, t)).toMatchObject({ failed: 1 });
    const [row] = await q.siteRows(site.id);
    expect(row).toMatchObject({ status: "error", retryable: false });
    expect(await run("retry", site.id, t)).toMatchObject({ claimed: 0 });
  });

  it("loses no row and doubles none the SMSC acknowledged when the connection drops mid-batch", async () => {
    const site = await makeSite();
    const n = 60;
    const numbers = Array.from({ length: n }, (_, i) => `+336${String(20000000 + i)}`);
    await q.enqueue({ siteId: site.id, channel: "sms", message: sms("Batch {{name}}"), recipients: numbers.map((address, i) => ({ address, name: `n${i}` })) });
    const harness = await startSmsc({ receipts: "none", responseDelayMs: 2 });
    try {
      const t = transport(harness, 5);
      harness.dropAfter(25);
      const first = await run("send", site.id, t);
      const afterDrop = await q.siteRows(site.id);
      const acked = new Set(harness.submits.map((s) => `+${s.destination}`));
      // Every row the SMSC acknowledged before the drop was recorded sent, with its message id.
      for (const r of afterDrop.filter((r) => r.status === "sent")) expect(acked.has(r.recipient)).toBe(true);
      expect(first.sent).toBeGreaterThanOrEqual(25);
      expect(first.sent + first.failed).toBe(n);
      // The drop caught submits in flight (a window of 5): those rows failed, to be retried.
      expect(first.failed).toBeGreaterThanOrEqual(1);
      // The rest failed as transient (the session is gone), nothing is left leased.
      expect(afterDrop.filter((r) => r.status === "error").every((r) => r.retryable)).toBe(true);
      expect(afterDrop.some((r) => r.status === "sending" || r.status === "pending")).toBe(false);

      // The retry runner reconnects (a second bind) and sends only what was not acknowledged.
      await run("retry", site.id, t);
      const final = await q.siteRows(site.id);
      expect(final.every((r) => r.status === "sent")).toBe(true);
      expect(harness.binds).toBeGreaterThanOrEqual(2);
      const perNumber = new Map<string, number>();
      for (const s of harness.submits) perNumber.set(s.destination, (perNumber.get(s.destination) ?? 0) + 1);
      expect([...perNumber.keys()].sort()).toEqual(numbers.map((x) => x.slice(1)).sort());
      expect([...perNumber.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await harness.close();
    }
  });

  it("a PDU the client cannot read mid-batch: no row is recorded sent without its answer, none answered goes twice", async () => {
    const site = await makeSite();
    const n = 40;
    const numbers = Array.from({ length: n }, (_, i) => `+336${String(30000000 + i)}`);
    await q.enqueue({ siteId: site.id, channel: "sms", message: sms("Wedge {{name}}"), recipients: numbers.map((address, i) => ({ address, name: `n${i}` })) });
    const harness = await startSmsc({ receipts: "none", responseDelayMs: 2 });
    try {
      // Answers that never come would hold the run past the test's timeout: the wedge must fail them at once.
      const t = smppTransport(harness.url(), { window: 5, responseTimeoutMs: 600_000, log: () => {} });
      opened.push(t);
      harness.garbleAfter(15); // the SMSC goes on answering, but the client reads nothing more on that session
      const first = await run("send", site.id, t);
      const afterWedge = await q.siteRows(site.id);
      expect(first.sent + first.failed).toBe(n);
      expect(first.failed).toBeGreaterThanOrEqual(1);
      // A sent row carries the id the SMSC gave its own submit (before the garbage, or on the
      // session bound again after it), never one whose answer went unread.
      const destinationOf = new Map(harness.submits.map((s) => [s.messageId, `+${s.destination}`]));
      const sentFirst = afterWedge.filter((r) => r.status === "sent");
      for (const r of sentFirst) expect(destinationOf.get(r.providerMessageId!)).toBe(r.recipient);
      expect(afterWedge.filter((r) => r.status === "error").every((r) => r.retryable)).toBe(true);
      expect(afterWedge.some((r) => r.status === "sending" || r.status === "pending")).toBe(false);

      await run("retry", site.id, t);
      const final = await q.siteRows(site.id);
      expect(final.every((r) => r.status === "sent")).toBe(true);
      expect(harness.binds).toBeGreaterThanOrEqual(2);
      const perNumber = new Map<string, number>();
      for (const s of harness.submits) perNumber.set(`+${s.destination}`, (perNumber.get(`+${s.destination}`) ?? 0) + 1);
      expect([...perNumber.keys()].sort()).toEqual([...numbers].sort());
      // Only the submits in flight on the wedged session (a window of 5) can go twice: the SMSC
      // took them, their answers were never read. Every row recorded sent went once.
      for (const r of sentFirst) expect(perNumber.get(r.recipient)).toBe(1);
      expect([...perNumber.values()].filter((c) => c > 1).length).toBeLessThanOrEqual(5);
    } finally {
      await harness.close();
    }
  });
});

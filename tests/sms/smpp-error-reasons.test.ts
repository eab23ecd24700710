import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { smppTransport, type SmppOptions } from "@/lib/sms/smpp";
import type { SmsMessage, SmsReceipt } from "@/lib/sms/transport";
import { errorReason } from "@/lib/queue/error-reason";
import { startSmsc, type ReceiptStat } from "../helpers/smsc";
import { smsFailure } from "../helpers/sms-failure";
import { until } from "../helpers/wait";

// Each failure the SMPP transport stores, made for real against a loopback SMSC (or a port that
// refuses or never answers), then read back by errorReason: a change of wording in
// lib/sms/smpp*.ts that the classifier no longer recognises fails here.

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

let queueId = 0;
const sms = (text = "Hello"): SmsMessage => ({ to: "+33612345678", from: "", text, siteId: 1, queueId: ++queueId });
const reasonOf = (text: string | undefined) => (text === undefined ? undefined : errorReason(text)?.key);

function transport(url: string, options: SmppOptions = {}) {
  const t = smppTransport(url, { log: () => {}, ...options });
  cleanup.push(() => t.close());
  return t;
}

async function smsc(options: Parameters<typeof startSmsc>[0] = {}) {
  const s = await startSmsc({ receipts: "none", ...options });
  cleanup.push(() => s.close());
  return s;
}

/** A loopback port that accepts connections and never says a word (a wedged SMSC, a firewall). */
async function silentPort() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))));
  return (server.address() as AddressInfo).port;
}

/** A loopback port nothing listens on. */
async function closedPort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("SMPP failures read back as reasons", () => {
  it("submit_sm statuses: invalid destination or source, throttled, queue full, system error, anything else", async () => {
    const center = await smsc();
    // No patience: a "slow down" answer fails the send at once instead of being waited out.
    const t = transport(center.url(), { throttle: { patienceMs: 0, firstPauseMs: 1, maxPauseMs: 1 } });
    const seen: [string, string | undefined][] = [];
    for (const status of [0x0b, 0x0a, 0x58, 0x14, 0x08, 0x45]) {
      center.failNext(status);
      const { message } = await smsFailure(t.send(sms()));
      seen.push([message, reasonOf(message)]);
    }
    expect(seen).toEqual([
      ["SMPP submit_sm: ESME_RINVDSTADR (0x0B)", "invalidNumber"],
      ["SMPP submit_sm: ESME_RINVSRCADR (0x0A)", "smsInvalidSender"],
      ["SMPP submit_sm: ESME_RTHROTTLED (0x58)", "smsThrottled"],
      ["SMPP submit_sm: ESME_RMSGQFUL (0x14)", "smsQueueFull"],
      ["SMPP submit_sm: ESME_RSYSERR (0x08)", "smsProviderError"],
      ["SMPP submit_sm: ESME_RSUBMITFAIL (0x45)", "smsRefused"],
    ]);
  });

  it("a refused login, then the backoff that follows it", async () => {
    const center = await smsc();
    const t = transport(center.url({ password: "wrong" }));
    const refused = await smsFailure(t.send(sms()));
    expect(refused.message).toBe(`SMPP bind_transceiver to 127.0.0.1:${center.port}: ESME_RINVPASWD (0x0E)`);
    expect(reasonOf(refused.message)).toBe("smsLoginRefused");
    const waiting = await smsFailure(t.send(sms()));
    expect(waiting.message).toMatch(/ unavailable; next connection attempt in \d+ s$/);
    expect(reasonOf(waiting.message)).toBe("smsUnavailable");
  });

  it("an SMSC that refuses the connection, or never answers the bind", async () => {
    const refused = await smsFailure(transport(`smpp://chora:secret@127.0.0.1:${await closedPort()}`).send(sms()));
    expect(refused.message).toMatch(/^SMPP connection to 127\.0\.0\.1:\d+ (failed: .*ECONNREFUSED|closed before bind)/);
    expect(reasonOf(refused.message)).toBe("smsUnavailable");
    const silent = await smsFailure(transport(`smpp://chora:secret@127.0.0.1:${await silentPort()}`, { connectTimeoutMs: 100 }).send(sms()));
    expect(silent.message).toMatch(/^SMPP connect\/bind to 127\.0\.0\.1:\d+ timed out after 100 ms$/);
    expect(reasonOf(silent.message)).toBe("smsUnavailable");
  });

  it("a submit left unanswered, and a connection lost while one waits", async () => {
    const slow = await smsc({ responseDelayMs: 2_000 });
    const unanswered = await smsFailure(transport(slow.url(), { responseTimeoutMs: 100 }).send(sms()));
    expect(unanswered.message).toBe("SMPP submit_sm: no response within 100 ms");
    expect(reasonOf(unanswered.message)).toBe("smsNoResponse");

    const dropping = await smsc({ responseDelayMs: 2_000 });
    const pending = smsFailure(transport(dropping.url()).send(sms()));
    await until("the submit at the SMSC", async () => dropping.outstanding === 1);
    dropping.dropNow();
    const lost = await pending;
    expect(lost.message).toBe(`SMPP connection to 127.0.0.1:${dropping.port} lost before submit_sm_resp`);
    expect(reasonOf(lost.message)).toBe("smsConnectionLost");
  });

  it("a transport closed meanwhile, and an empty message", async () => {
    const center = await smsc();
    const t = transport(center.url());
    const empty = await smsFailure(t.send(sms("")));
    expect([empty.message, reasonOf(empty.message)]).toEqual(["SMPP: empty message", "smsEmpty"]);
    await t.close();
    const closed = await smsFailure(t.send(sms()));
    expect([closed.message, reasonOf(closed.message)]).toEqual(["SMPP transport closed", "smsStopping"]);
  });

  it("receipts that end a message undelivered, told by TLVs or by the text alone", async () => {
    const center = await smsc();
    const receipts: SmsReceipt[] = [];
    const t = transport(center.url(), { onReceipt: (r) => void receipts.push(r) });
    const states: ReceiptStat[] = ["UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN"];
    for (const [i, stat] of states.entries()) {
      const { providerMessageId } = await t.send(sms());
      await center.sendReceipt(providerMessageId, stat, "00B", { tlvs: i % 2 === 0 });
    }
    expect(receipts.map((r) => [r.reason, reasonOf(r.reason)])).toEqual([
      ["UNDELIV err:00B", "receiptUndelivered"],
      ["EXPIRED err:00B", "receiptExpired"],
      ["REJECTD err:00B", "receiptRejected"],
      ["DELETED err:00B", "receiptDeleted"],
      ["UNKNOWN err:00B", "receiptUnknown"],
    ]);
  });
});

import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import smpp from "smpp";
import { smppTransport } from "@/lib/sms/smpp";
import type { SmsReceipt, SmsTransport } from "@/lib/sms/transport";

/**
 * Review finding: the SMPP transport keeps, in memory, the ids of the later parts of the long
 * SMS it sent (lib/sms/smpp-part-ids.ts), and drops any DELIVRD naming one of them as "a later
 * part, reported by the first part's receipt", then forgets the id. An id stays there until its
 * receipt comes; when it never comes (lost in an SMSC restart, or an SMSC that reports a long
 * SMS once), it stays for good. SMSCs that restart or wrap their numbering give old ids to new
 * messages (lib/queue/receipts.ts handles exactly that for the ids it stores, and says so): the
 * receipt of a new SMS that got such an id is then dropped here before it reaches the
 * database, and its row stays `sent` for ever, delivered or not.
 *
 * The SMSC below numbers message ids per session from 1, as some do (and as any does after a
 * restart): a long SMS gets "1" and "2"; the session drops before part 2's receipt comes; the
 * next session gives "1" and then "2" to two new single SMS.
 *
 * Now an id is trusted only on the session it was given on, and for 10 minutes: the receipt of a
 * new SMS another process sent with that id is not dropped either
 * (tests/queue/receipts-part-elsewhere.test.ts).
 */

type Session = smpp.Session;
let server: ReturnType<typeof smpp.createServer>;
let port: number;
const bound = new Set<Session>();

beforeAll(async () => {
  server = smpp.createServer((session: Session) => {
    let next = 0;
    session.on("error", () => {});
    session.on("close", () => bound.delete(session));
    session.on("bind_transceiver", (pdu: smpp.PDU) => {
      session.send(pdu.response({ system_id: "smsc" }));
      bound.add(session);
    });
    session.on("enquire_link", (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on("unbind", (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on("deliver_sm_resp", () => {});
    session.on("submit_sm", (pdu: smpp.PDU) => session.send(pdu.response({ message_id: String(++next) })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      for (const s of server.sessions) s.destroy();
      server.close(() => resolve());
    }),
);

function receipt(messageId: string): Promise<number> {
  const session = [...bound].find((s) => s.socket.writable)!;
  return new Promise((resolve) =>
    session.deliver_sm(
      {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: "33612345678",
        destination_addr: "Chora",
        esm_class: 0x04,
        short_message: `id:${messageId} sub:001 dlvrd:001 submit date:2611272300 done date:2611272300 stat:DELIVRD err:000 text:hello`,
        receipted_message_id: messageId,
        message_state: 2,
      },
      (resp: smpp.PDU) => resolve(resp.command_status),
    ),
  );
}

const sms = (text: string) => ({ to: "+33612345678", from: "Chora", text, siteId: 1, queueId: 1 });

describe("a receipt whose id the SMSC gave earlier to a later part of a long SMS", () => {
  let transport: SmsTransport;
  const receipts: SmsReceipt[] = [];
  afterAll(() => transport?.close());

  it("is reported for the new SMS that now has that id", async () => {
    transport = smppTransport(`smpp://chora:secret@127.0.0.1:${port}`, { onReceipt: (r) => void receipts.push(r), log: () => {} });
    // A long SMS: parts "1" and "2" on the first session.
    expect(await transport.send(sms("x".repeat(300)))).toEqual({ providerMessageId: "1", partIds: ["2"] });
    // The session ends (SMSC restart) before part 2's receipt came; the next one numbers from 1 again.
    for (const s of server.sessions) s.close();
    await vi.waitFor(() => expect(bound.size).toBe(0));
    await vi.waitFor(async () => expect(await transport.send(sms("first")).catch(() => null)).toEqual({ providerMessageId: "1" }), { timeout: 5000 });
    expect(await transport.send(sms("second"))).toEqual({ providerMessageId: "2" });

    expect(await receipt("1")).toBe(0);
    expect(await receipt("2")).toBe(0);
    // Both new SMS were delivered: both receipts reach the queue (where ids are matched to rows).
    await vi.waitFor(() => expect(receipts.map((r) => r.providerMessageId)).toEqual(["1", "2"]), { timeout: 2000 });
  });
});

describe("a later part's id whose receipt is overdue", () => {
  let transport: SmsTransport;
  const receipts: SmsReceipt[] = [];
  afterAll(() => transport?.close());

  it("is forgotten after 10 minutes: a DELIVRD naming it then goes to the queue, which tells whose it is", async () => {
    await vi.waitFor(() => expect(bound.size).toBe(0)); // the transport above has unbound
    transport = smppTransport(`smpp://chora:secret@127.0.0.1:${port}`, { onReceipt: (r) => void receipts.push(r), log: () => {} });
    expect(await transport.send(sms("y".repeat(300)))).toEqual({ providerMessageId: "1", partIds: ["2"] });
    expect(await receipt("2")).toBe(0);
    expect(receipts).toEqual([]); // the part's own receipt, heard at once: dropped here

    expect(await transport.send(sms("z".repeat(300)))).toEqual({ providerMessageId: "3", partIds: ["4"] });
    const sentAt = Date.now();
    vi.spyOn(Date, "now").mockImplementation(() => sentAt + 10 * 60_000);
    try {
      // The SMSC may have wrapped its numbering since: "4" may be another process's new SMS.
      expect(await receipt("4")).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    expect(receipts).toEqual([{ providerMessageId: "4", delivered: true }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue, queueEvents } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { recordReceipt } from "@/lib/queue/receipts";
import { runQueue } from "@/lib/queue/run";
import { smppTransport } from "@/lib/sms/smpp";
import type { SmsTransport } from "@/lib/sms/transport";
import { errorText } from "@/components/queue/error-text";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { makeSite } from "../helpers/factories";
import { failureTranslator } from "../helpers/failure-translator";
import { startSmsc, type SmscHarness, type SmscSubmit } from "../helpers/smsc";

/**
 * A long SMS goes as several parts, each with its own id and its own receipt. The row used to
 * follow the first part's receipt only: part 2 of 3 UNDELIV while part 1 was DELIVRD left it
 * `delivered`, though the phone showed a message cut short. Now a later part's failure ends the
 * row in `error`, naming the part, in whatever order the receipts come, and a later part's
 * DELIVRD is not needed (some SMSCs send none for later parts): the first part's makes the row
 * delivered unless a later part failed.
 *
 * Through the whole queue, with a real SMSC on loopback: the runner sends, the transport hears
 * the receipts and hands them to recordReceipt, as lib/sms/resolve.ts wires it.
 */

let smsc: SmscHarness;
let transport: SmsTransport;
beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
  transport = smppTransport(smsc.url(), {
    log: () => {},
    onReceipt: (r) => recordReceipt({ channel: "sms", providerMessageId: r.providerMessageId, delivered: r.delivered, reason: r.reason, actor: "smpp" }).then(() => undefined),
  });
});
afterAll(async () => {
  await transport.close();
  await smsc.close();
});

// 3 GSM-7 parts (153 characters each at most).
const LONG = "Assemblée générale jeudi à 18 h, salle des sports. ".repeat(8);

/** Sends one long SMS through the queue with `through`; its row and the parts the SMSC took, in order. */
async function sendLong(phone: string, through: SmsTransport = transport) {
  const site = await makeSite();
  const { messageId } = await enqueue({
    siteId: site.id,
    channel: "sms",
    message: { kind: "sms", subject: "", text: LONG, fromName: "", fromAddress: "Chora" },
    recipients: [{ address: phone }],
  });
  expect(await runQueue({ kind: "send", siteId: site.id, runner: "test-send", sms: async () => through })).toMatchObject({ sent: 1 });
  const row = await rowOf(messageId);
  const parts = smsc.submits.filter((s) => s.destination === phone.slice(1));
  expect(parts).toHaveLength(3);
  expect(row.providerMessageId).toBe(parts[0].messageId);
  return { messageId, id: row.id, parts };
}

const rowOf = async (messageId: number) => (await db.select().from(queue).where(eq(queue.messageId, messageId)))[0];
const history = async (id: number) => {
  const events = await db.select().from(queueEvents).where(eq(queueEvents.queueId, id)).orderBy(asc(queueEvents.id));
  return [events[0].fromStatus, ...events.map((e) => e.toStatus)].join(">");
};
const errorEvents = async (id: number) =>
  (await db.select().from(queueEvents).where(eq(queueEvents.queueId, id)).orderBy(asc(queueEvents.id))).filter((e) => e.toStatus === "error").map((e) => [e.fromStatus, e.error]);
/** The SMSC's receipt, answered only once the transport has stored it (deliver_sm_resp 0). */
const receipt = async (part: SmscSubmit, stat: Parameters<SmscHarness["sendReceipt"]>[1], err?: string) => expect(await smsc.sendReceipt(part.messageId, stat, err)).toBe(0);

describe("a long SMS whose later part is not delivered", () => {
  it("ends in error, naming the part, even after the first part's DELIVRD made it delivered", async () => {
    const { messageId, id, parts } = await sendLong("+33612347001");
    await receipt(parts[0], "DELIVRD");
    expect((await rowOf(messageId)).status).toBe("delivered");

    await receipt(parts[1], "UNDELIV", "034");
    const row = await rowOf(messageId);
    expect(row).toMatchObject({ status: "error", lastError: "part 2 of 3 not delivered: UNDELIV err:034", retryable: false, deliveredAt: null });
    expect(row.receiptAt).toBeInstanceOf(Date);
    expect(await history(id)).toBe("pending>sending>sent>delivered>error");
    expect(await errorEvents(id)).toEqual([["delivered", "part 2 of 3 not delivered: UNDELIV err:034"]]);

    // Part 3's DELIVRD, and the first part's again, never make it delivered again.
    await receipt(parts[2], "DELIVRD");
    await receipt(parts[0], "DELIVRD");
    expect((await rowOf(messageId)).status).toBe("error");
    expect(await history(id)).toBe("pending>sending>sent>delivered>error");

    // On the screens, translated like the other receipts, with the part and the SMSC's words.
    for (const [locale, messages] of [["en", en], ["fr", fr]] as const) {
      const shown = errorText(failureTranslator(locale), row.lastError!, row.retryable);
      expect(shown.reason).toBe(messages.queue.failure.reasons.receiptPartUndelivered.replace("{part}", "2").replace("{parts}", "3").replace("{code}", "UNDELIV err:034"));
      expect(shown.detail).toBe("part 2 of 3 not delivered: UNDELIV err:034");
    }
  });

  it("ends in error when the part's failure comes first, and the first part's DELIVRD after it changes nothing", async () => {
    const { messageId, id, parts } = await sendLong("+33612347002");
    await receipt(parts[2], "EXPIRED", "000");
    expect((await rowOf(messageId)).lastError).toBe("part 3 of 3 not delivered: EXPIRED err:000");
    await receipt(parts[0], "DELIVRD");
    expect(await rowOf(messageId)).toMatchObject({ status: "error", lastError: "part 3 of 3 not delivered: EXPIRED err:000" });
    expect(await history(id)).toBe("pending>sending>sent>error");
  });

  it("ends in error when the part's failure came before the row was recorded sent, the first part's DELIVRD too", async () => {
    // The SMSC reports on both parts before the runner writes its outcome: the transport's send
    // resolves only once both receipts were acknowledged (stored, waiting for their row).
    const early: SmsTransport = {
      kind: "smpp",
      close() {},
      async send(sms) {
        const sent = await transport.send(sms);
        const parts = smsc.submits.filter((s) => s.destination === sms.to.slice(1));
        await receipt(parts[0], "DELIVRD");
        await receipt(parts[1], "REJECTD", "00B");
        await receipt(parts[1], "REJECTD", "00B"); // and again
        return sent;
      },
    };
    const { messageId, id } = await sendLong("+33612347003", early);
    expect(await rowOf(messageId)).toMatchObject({ status: "error", lastError: "part 2 of 3 not delivered: REJECTD err:00B", deliveredAt: null });
    expect(await history(id)).toBe("pending>sending>sent>error");
  });

  it("a duplicated failure receipt counts once, also once its waiting time is over", async () => {
    const { messageId, id, parts } = await sendLong("+33612347004");
    await receipt(parts[1], "UNDELIV", "001");
    await receipt(parts[1], "UNDELIV", "001");
    await db.execute(sql`update queue_receipts set received_at = now() - interval '1 hour' where provider_message_id = ${parts[1].messageId}`);
    await receipt(parts[1], "UNDELIV", "001");
    await receipt(parts[2], "UNDELIV", "001"); // another part: the row has failed already
    expect(await rowOf(messageId)).toMatchObject({ status: "error", lastError: "part 2 of 3 not delivered: UNDELIV err:001" });
    expect(await errorEvents(id)).toEqual([["sent", "part 2 of 3 not delivered: UNDELIV err:001"]]);
  });

  it("a later part's DELIVRD alone changes nothing, and the first part's alone makes the row delivered", async () => {
    const { messageId, id, parts } = await sendLong("+33612347005");
    await receipt(parts[1], "DELIVRD");
    await receipt(parts[2], "DELIVRD");
    expect((await rowOf(messageId)).status).toBe("sent");
    const stored = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from queue_receipts where provider_message_id in (${parts[1].messageId}, ${parts[2].messageId})`));
    expect(Number(stored[0].n)).toBe(0); // nothing to keep: the first part's receipt speaks for the message

    // An SMSC that sends no receipt for later parts: the first part's DELIVRD is enough.
    const other = await sendLong("+33612347006");
    await receipt(other.parts[0], "DELIVRD");
    expect((await rowOf(other.messageId)).status).toBe("delivered");
    await receipt(parts[0], "DELIVRD");
    expect((await rowOf(messageId)).status).toBe("delivered");
    expect(await history(id)).toBe("pending>sending>sent>delivered");
  });

  it("receipts for every part heard at once: a failed part wins whichever is written first", async () => {
    // On PostgreSQL the transport stores receipts heard together on separate connections: the
    // first part's DELIVRD and a later part's UNDELIV race for the same row.
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await sendLong(`+3361234710${i}`));
    // Each receipt is answered once stored: when all are answered, all are written.
    await Promise.all(sent.flatMap(({ parts }) => [receipt(parts[0], "DELIVRD"), receipt(parts[1], "UNDELIV", "034"), receipt(parts[2], "DELIVRD")]));
    for (const { messageId } of sent) expect(await rowOf(messageId)).toMatchObject({ status: "error", lastError: "part 2 of 3 not delivered: UNDELIV err:034" });
  });
});

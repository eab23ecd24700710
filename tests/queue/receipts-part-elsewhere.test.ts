import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queue } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { recordReceipt } from "@/lib/queue/receipts";
import { runQueue } from "@/lib/queue/run";
import { smppTransport } from "@/lib/sms/smpp";
import type { SmsTransport } from "@/lib/sms/transport";
import { makeSite } from "../helpers/factories";
import { startSmsc, type SmscHarness } from "../helpers/smsc";

/**
 * The receipts of a long SMS's later parts when they do not come back to the transport that
 * sent it: another process is bound (a listener, while the SMS went out from a command that has
 * since exited), or the process restarted in between. Then the queue, not the transport, ties
 * the part to its row, by the part ids stored with it (queue.provider_part_ids).
 *
 * And the other way round: a listener that sent a long SMS whose later parts' receipts never
 * came (lost in an SMSC restart) once kept their ids in memory for good, and quietly dropped the
 * DELIVRD of any new SMS that the restarted SMSC numbered with one of them (sent by another
 * process): that row stayed `sent`.
 *
 * Through the queue with a real SMSC on loopback, the transports wired to recordReceipt as
 * lib/sms/resolve.ts wires them.
 */

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function smscForTest() {
  const smsc = await startSmsc({ receipts: "none" });
  cleanup.push(() => smsc.close());
  return smsc;
}

/** A transport of one process, storing what it hears as the app does. */
function processTransport(smsc: SmscHarness) {
  const transport = smppTransport(smsc.url(), {
    log: () => {},
    onReceipt: (r) => recordReceipt({ channel: "sms", providerMessageId: r.providerMessageId, delivered: r.delivered, reason: r.reason, actor: "smpp" }).then(() => undefined),
  });
  cleanup.push(() => transport.close());
  return transport;
}

// 3 GSM-7 parts (153 characters each at most).
const LONG = "Assemblée générale jeudi à 18 h, salle des sports. ".repeat(8);

/** Queues `text` to `phones` and sends it through `through`; the messages' ids. */
async function send(through: SmsTransport, text: string, phones: string[]) {
  const site = await makeSite();
  const { messageId } = await enqueue({
    siteId: site.id,
    channel: "sms",
    message: { kind: "sms", subject: "", text, fromName: "", fromAddress: "Chora" },
    recipients: phones.map((address) => ({ address })),
  });
  expect(await runQueue({ kind: "send", siteId: site.id, runner: "test-send", sms: async () => through })).toMatchObject({ sent: phones.length });
  return messageId;
}

const rowsOf = (messageId: number) => db.select().from(queue).where(eq(queue.messageId, messageId));
/** The SMSC's receipt, answered only once a bound transport has stored it (deliver_sm_resp 0). */
const receipt = async (smsc: SmscHarness, messageId: string, stat: "DELIVRD" | "UNDELIV", err?: string) => expect(await smsc.sendReceipt(messageId, stat, err)).toBe(0);

describe("a long SMS's later part heard elsewhere than by the transport that sent it", () => {
  it("is tied to its row by the part ids stored with it: a failure ends it in error, a DELIVRD changes nothing", async () => {
    const smsc = await smscForTest();
    const command = processTransport(smsc);
    const messageId = await send(command, LONG, ["+33612348001"]);
    const parts = smsc.submits.map((s) => s.messageId);
    expect(parts).toHaveLength(3);
    await command.close(); // the command exits (or the process restarts) before any receipt

    processTransport(smsc).listen!();
    await receipt(smsc, parts[2], "DELIVRD");
    expect((await rowsOf(messageId))[0].status).toBe("sent");
    await receipt(smsc, parts[1], "UNDELIV", "034");
    await receipt(smsc, parts[0], "DELIVRD");
    expect((await rowsOf(messageId))[0]).toMatchObject({ status: "error", lastError: "part 2 of 3 not delivered: UNDELIV err:034" });
  });

  it("a new SMS the restarted SMSC numbered like an old later part gets its DELIVRD, though the listener sent that part", async () => {
    const smsc = await smscForTest();
    const listener = processTransport(smsc);
    listener.listen!();
    const long = await send(listener, LONG, ["+33612348011"]);
    const oldIds = smsc.submits.map((s) => s.messageId);
    // No receipt came for the later parts; the SMSC restarts and numbers from the start again.
    smsc.restart();

    // A command (another process) sends three SMS, which get the long SMS's three ids, and exits.
    const command = processTransport(smsc);
    const fresh = await send(command, "Rendez-vous demain.", ["+33612348012", "+33612348013", "+33612348014"]);
    await command.close();
    expect(smsc.submits.slice(3).map((s) => s.messageId)).toEqual(oldIds);

    // Their receipts reach the listener, the one process still bound.
    for (const id of oldIds) await receipt(smsc, id, "DELIVRD");
    expect((await rowsOf(fresh)).map((r) => r.status)).toEqual(["delivered", "delivered", "delivered"]);
    expect((await rowsOf(long))[0].status).toBe("sent");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue, queueEvents } from "@/db/schema";
import { outboxTransport } from "@/lib/mail/transport";
import { claim } from "@/lib/queue/claim";
import { deliverClaimed } from "@/lib/queue/deliver";
import { enqueue } from "@/lib/queue/enqueue";
import { OPTED_OUT_BY_ADMIN_NOTE, OPTED_OUT_BY_PROVIDER_NOTE, OPTED_OUT_BY_REPLY_NOTE } from "@/lib/queue/notes";
import { addOptOutByHand } from "@/lib/sms/opt-out-list";
import { recordOptOuts } from "@/lib/sms/opt-out";
import { runQueue } from "@/lib/queue/run";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { until } from "../helpers/wait";
import { makeSite } from "../helpers/factories";

// README: a number that answers STOP is left out of every SMS send to groups "from then on",
// including a group SMS already queued (held by the sending hours, or further down a long drain).
// The STOP arrives as a deliver_sm from a real SMSC on loopback, and the sends go to it.
let smsc: SmscHarness;
beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

const group = { kind: "newsletter", subject: "", text: "Promo -20% tomorrow", fromName: "", fromAddress: "Org", keepsSmsHours: true };
const sentTo = () => smsc.submits.map((s) => `+${s.destination}`).sort();

/** `+336…` replies STOP on the site's SMPP session; resolves once it is recorded. */
async function replyStop(siteId: number, phone: string) {
  await listenForSmsReplies([siteId]);
  await smsc.sendInbound(phone, "STOP");
  await until("the opt-out", async () => rows(await db.execute(sql`select 1 from sms_opt_outs where site_id = ${siteId} and phone = ${phone}`)).length > 0);
}

/** Queues a group SMS held by closed sending hours (as a send started at 21:00 is). */
async function heldGroupSms(siteId: number, numbers: string[]) {
  const { messageId } = await enqueue({ siteId, channel: "sms", message: group, recipients: numbers.map((address) => ({ address })) });
  await db.update(queue).set({ nextAttemptAt: sql`now() + interval '10 hours'` }).where(eq(queue.messageId, messageId));
  return messageId;
}
const open = (messageId: number) => db.update(queue).set({ nextAttemptAt: sql`now()` }).where(eq(queue.messageId, messageId));
const rowsOf = (messageId: number) =>
  db.select({ id: queue.id, recipient: queue.recipient, status: queue.status, retryable: queue.retryable, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, messageId)).orderBy(asc(queue.recipient));

describe("a STOP received after a group SMS was queued", () => {
  it("keeps the queued group SMS from that number: its row ends in error, the others go", async () => {
    const site = await makeSite({ smsUrl: smsc.url({ source: "Org" }) });
    const numbers = ["+33612347001", "+33612347002", "+33612347003"];
    const messageId = await heldGroupSms(site.id, numbers);
    await replyStop(site.id, "+33612347002"); // 22:00, while the send waits for 08:00
    await open(messageId);
    smsc.submits.length = 0;

    const summary = await runQueue({ kind: "send", siteId: site.id, runner: "t" });
    expect(summary).toMatchObject({ claimed: 3, sent: 2, failed: 1 });
    expect(sentTo()).toEqual(["+33612347001", "+33612347003"]);
    const after = await rowsOf(messageId);
    expect(after.map((r) => [r.recipient, r.status])).toEqual([
      ["+33612347001", "sent"],
      ["+33612347002", "error"],
      ["+33612347003", "sent"],
    ]);
    const stopped = after[1];
    // Final: no retry will send it later either.
    expect(stopped).toMatchObject({ retryable: false, lastError: OPTED_OUT_BY_REPLY_NOTE });
    const history = await db.select({ to: queueEvents.toStatus, error: queueEvents.error }).from(queueEvents).where(eq(queueEvents.queueId, stopped.id)).orderBy(asc(queueEvents.id));
    expect(history.at(-1)).toEqual({ to: "error", error: OPTED_OUT_BY_REPLY_NOTE });

    // Set back to pending by hand, it still does not go while the number is opted out.
    await db.update(queue).set({ status: "pending", nextAttemptAt: sql`now()` }).where(eq(queue.id, stopped.id));
    expect(await runQueue({ kind: "send", siteId: site.id, runner: "t" })).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    expect(sentTo()).toEqual(["+33612347001", "+33612347003"]);
  });

  it("holds for Inngest's steps too (deliverClaimed)", async () => {
    const site = await makeSite({ smsUrl: smsc.url({ source: "Org" }) });
    const messageId = await heldGroupSms(site.id, ["+33612347011", "+33612347012"]);
    await replyStop(site.id, "+33612347011");
    await open(messageId);
    smsc.submits.length = 0;
    const claimed = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "inngest-send:t" });
    expect(await deliverClaimed({ ids: claimed.ids, token: claimed.token, actor: "inngest-send:t", transport: outboxTransport() })).toEqual({ sent: 1, failed: 1, skipped: 0, deferred: 0 });
    expect(sentTo()).toEqual(["+33612347012"]);
    expect((await rowsOf(messageId)).map((r) => [r.recipient, r.status, r.lastError])).toEqual([
      ["+33612347011", "error", OPTED_OUT_BY_REPLY_NOTE],
      ["+33612347012", "sent", null],
    ]);
  });

  it("leaves SMS that are not group sends alone (a test SMS to the number goes)", async () => {
    const site = await makeSite({ smsUrl: smsc.url({ source: "Org" }) });
    await replyStop(site.id, "+33612347021");
    smsc.submits.length = 0;
    const { messageId } = await enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "Test", fromName: "", fromAddress: "Org" }, recipients: [{ address: "+33612347021" }] });
    expect(await runQueue({ kind: "send", siteId: site.id, runner: "t" })).toMatchObject({ sent: 1, failed: 0 });
    expect(sentTo()).toEqual(["+33612347021"]);
    expect((await db.select({ status: queue.status }).from(queue).where(inArray(queue.messageId, [messageId]))).map((r) => r.status)).toEqual(["sent"]);
  });
});

describe("an opt-out that is not a STOP reply", () => {
  it("stops the queued group SMS with the note of how the number got on the list (admin, provider)", async () => {
    const site = await makeSite({ smsUrl: smsc.url({ source: "Org" }) });
    const messageId = await heldGroupSms(site.id, ["+33612347031", "+33612347032", "+33612347033", "+33612347034"]);
    await addOptOutByHand(site.id, "+33612347031"); // an admin, on the opt-out screen
    await recordOptOuts([{ siteId: site.id, phone: "+33612347032" }], "STOP", "provider"); // Twilio 21610
    await replyStop(site.id, "+33612347033");
    await open(messageId);
    smsc.submits.length = 0;

    expect(await runQueue({ kind: "send", siteId: site.id, runner: "t" })).toMatchObject({ sent: 1, failed: 3 });
    expect(sentTo()).toEqual(["+33612347034"]);
    expect((await rowsOf(messageId)).map((r) => [r.recipient, r.status, r.lastError])).toEqual([
      ["+33612347031", "error", OPTED_OUT_BY_ADMIN_NOTE],
      ["+33612347032", "error", OPTED_OUT_BY_PROVIDER_NOTE],
      ["+33612347033", "error", OPTED_OUT_BY_REPLY_NOTE],
      ["+33612347034", "sent", null],
    ]);
  });
});

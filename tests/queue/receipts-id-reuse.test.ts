import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queue } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { recordReceipt } from "@/lib/queue/receipts";
import { makeSite } from "../helpers/factories";

const sms = (siteId: number, phone: string, text: string) =>
  enqueue({ siteId, channel: "sms", message: { kind: "sms", subject: "", text, fromName: "", fromAddress: "Org" }, recipients: [{ address: phone }] });
const rowOf = async (messageId: number) => (await db.select().from(queue).where(eq(queue.messageId, messageId)))[0];
const statusOf = async (messageId: number) => (await rowOf(messageId)).status;

// An SMSC that restarts its numbering (or wraps a short counter) gives an old id to a new message.
describe("a receipt names the latest SMS sent with its id", () => {
  it("today's receipt leaves a 30-day-old row that never got its own alone", async () => {
    const site = await makeSite();
    const old = await sms(site.id, "+33612349001", "old");
    const now = await sms(site.id, "+33612349002", "new");
    await db.update(queue).set({ status: "sent", providerMessageId: "5", sentAt: sql`now() - interval '30 days'` }).where(eq(queue.messageId, old.messageId));
    await db.update(queue).set({ status: "sent", providerMessageId: "5", sentAt: new Date() }).where(eq(queue.messageId, now.messageId));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "5", delivered: false, reason: "UNDELIV err:001", actor: "smpp" })).toBe("applied");
    expect(await rowOf(now.messageId)).toMatchObject({ status: "error", lastError: "UNDELIV err:001" });
    expect(await rowOf(old.messageId)).toMatchObject({ status: "sent", lastError: null });
  });

  it("within the lookback, only the latest row: a repeated receipt never falls through to an older one", async () => {
    const site = await makeSite();
    const older = await sms(site.id, "+33612349011", "older");
    const newer = await sms(site.id, "+33612349012", "newer");
    await db.update(queue).set({ status: "sent", providerMessageId: "6", sentAt: sql`now() - interval '2 days'` }).where(eq(queue.messageId, older.messageId));
    await db.update(queue).set({ status: "sent", providerMessageId: "6", sentAt: new Date() }).where(eq(queue.messageId, newer.messageId));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "6", delivered: true, actor: "smpp" })).toBe("applied");
    expect(await statusOf(newer.messageId)).toBe("delivered");
    expect(await statusOf(older.messageId)).toBe("sent");
    // The SMSC repeats the receipt after the duplicate window: still about the newer row, done already.
    await db.execute(sql`update queue_receipts set received_at = now() - interval '1 hour' where provider_message_id = '6'`);
    expect(await recordReceipt({ channel: "sms", providerMessageId: "6", delivered: true, actor: "smpp" })).toBe("early");
    expect(await statusOf(older.messageId)).toBe("sent");
  });
});

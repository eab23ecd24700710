import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, queueEvents } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { recordReceipt } from "@/lib/queue/receipts";
import { makeSite } from "../helpers/factories";

describe("delivery receipts", () => {
  it("only a receipt for a sent row makes it delivered, with history", async () => {
    const site = await makeSite();
    const { messageId } = await enqueue({
      siteId: site.id,
      message: { kind: "test", subject: "s", text: "t", fromName: "", fromAddress: "o@example.org" },
      recipients: [{ address: "x@example.org" }, { address: "y@example.org" }],
    });
    const rows = await db.select().from(queue).where(eq(queue.messageId, messageId)).orderBy(queue.id);
    // a pending row with the same provider id is not touched: delivery needs a send first
    await db.update(queue).set({ status: "sent", providerMessageId: "p-1" }).where(eq(queue.id, rows[0].id));
    await db.update(queue).set({ providerMessageId: "p-2" }).where(eq(queue.id, rows[1].id));

    expect(await recordReceipt({ channel: "email", providerMessageId: "p-1", delivered: true, actor: "dsn" })).toBe(1);
    expect(await recordReceipt({ channel: "email", providerMessageId: "p-2", delivered: true, actor: "dsn" })).toBe(0);
    expect(await recordReceipt({ channel: "sms", providerMessageId: "p-1", delivered: true, actor: "dsn" })).toBe(0);

    const [first] = await db.select().from(queue).where(eq(queue.id, rows[0].id));
    expect(first.status).toBe("delivered");
    expect(first.deliveredAt).not.toBeNull();
    const history = await db.select().from(queueEvents).where(eq(queueEvents.queueId, rows[0].id));
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.actor])).toEqual([["sent", "delivered", "dsn"]]);
    const [second] = await db.select().from(queue).where(eq(queue.id, rows[1].id));
    expect(second.status).toBe("pending");
  });

  it("a negative receipt turns a sent row to a final error with the reason", async () => {
    const site = await makeSite();
    const { messageId } = await enqueue({
      siteId: site.id,
      message: { kind: "test", subject: "s", text: "t", fromName: "", fromAddress: "o@example.org" },
      recipients: [{ address: "z@example.org" }],
    });
    await db.update(queue).set({ status: "sent", providerMessageId: "p-9" }).where(eq(queue.messageId, messageId));
    await recordReceipt({ channel: "email", providerMessageId: "p-9", delivered: false, reason: "mailbox full", actor: "dsn" });
    const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
    expect(row).toMatchObject({ status: "error", lastError: "mailbox full", retryable: false });
  });
});

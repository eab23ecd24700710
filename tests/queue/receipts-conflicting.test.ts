import { describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, queueEvents } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { claim } from "@/lib/queue/claim";
import { outcomeWriter } from "@/lib/queue/outcome-writer";
import { recordReceipt } from "@/lib/queue/receipts";
import { makeSite } from "../helpers/factories";

const message = { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "" };

/**
 * Two receipts for one SMS, saying different things, both heard before the runner recorded it
 * sent: the row takes the first, as it would have had it been sent already (the second then finds
 * it final), not whichever the update happened to meet last.
 */
async function twoEarlyReceipts(phone: string, id: string, first: boolean) {
  const site = await makeSite();
  const { messageId } = await enqueue({ siteId: site.id, channel: "sms", message, recipients: [{ address: phone }] });
  const claimed = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "runner" });
  expect(await recordReceipt({ channel: "sms", providerMessageId: id, delivered: first, reason: "UNDELIV", actor: "smpp" })).toBe("early");
  expect(await recordReceipt({ channel: "sms", providerMessageId: id, delivered: !first, reason: "UNDELIV", actor: "smpp" })).toBe("early");
  const writer = outcomeWriter(claimed.token, "runner");
  writer.push({ id: claimed.ids[0], ok: true, providerMessageId: id, channel: "sms" });
  await writer.close();
  const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
  const events = await db.select().from(queueEvents).where(eq(queueEvents.queueId, row.id)).orderBy(asc(queueEvents.id));
  return { row, after: events.filter((e) => e.fromStatus === "sent").map((e) => e.toStatus) };
}

describe("conflicting receipts that waited for their row", () => {
  it("delivered, then not: the row is delivered, once", async () => {
    const { row, after } = await twoEarlyReceipts("+33612345681", "C-1", true);
    expect(row.status).toBe("delivered");
    expect(after).toEqual(["delivered"]);
  });

  it("not delivered, then delivered: the row ends in error, once", async () => {
    const { row, after } = await twoEarlyReceipts("+33612345682", "C-2", false);
    expect(row).toMatchObject({ status: "error", lastError: "UNDELIV" });
    expect(after).toEqual(["error"]);
  });
});

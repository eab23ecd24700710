import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queue } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { claim } from "@/lib/queue/claim";
import { outcomeWriter } from "@/lib/queue/outcome-writer";
import { recordReceipt } from "@/lib/queue/receipts";
import { makeSite } from "../helpers/factories";

/**
 * Review finding (lib/queue/receipts.ts, recordReceipt): a receipt whose id is a later part of a
 * recent long SMS is dropped unstored ("part") unless a row already *sent* names the id as its
 * own. When the SMSC has given that id again to a new message (it restarted or wrapped its
 * numbering, which receipts.ts expects) and the new message's receipt beats its outcome write
 * (the case `early` receipts exist for), the receipt is thrown away: nothing waits for the row,
 * and it stays `sent` for ever although the SMSC said it was delivered.
 */
describe("an early receipt for a new message whose id was an old message's later part", () => {
  it("is kept, and applied once the new message is recorded sent", async () => {
    const site = await makeSite();
    const message = { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "" };
    const { messageId: oldMessage } = await enqueue({ siteId: site.id, channel: "sms", message, recipients: [{ address: "+33612345691" }] });
    // Yesterday's long SMS: first part "Q-1", later part "Q-2" (whose own receipt never came).
    await db
      .update(queue)
      .set({ status: "delivered", sentAt: new Date(Date.now() - 86_400_000), providerMessageId: "Q-1", providerPartIds: ["Q-2"] })
      .where(eq(queue.messageId, oldMessage));

    // Today's SMS: the SMSC numbers it "Q-2" and reports it delivered before the runner's write.
    const { messageId } = await enqueue({ siteId: site.id, channel: "sms", message, recipients: [{ address: "+33612345692" }] });
    const claimed = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "runner" });
    expect(claimed.ids).toHaveLength(1);
    await recordReceipt({ channel: "sms", providerMessageId: "Q-2", delivered: true, actor: "smpp" });
    const writer = outcomeWriter(claimed.token, "runner");
    writer.push({ id: claimed.ids[0], ok: true, providerMessageId: "Q-2", channel: "sms" });
    await writer.close();

    const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
    expect(row).toMatchObject({ providerMessageId: "Q-2", status: "delivered" });
  });
});

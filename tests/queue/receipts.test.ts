import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue, queueEvents } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { claim } from "@/lib/queue/claim";
import { outcomeWriter } from "@/lib/queue/outcome-writer";
import { purgeOldReceipts, recordReceipt, RECEIPT_RETENTION_DAYS } from "@/lib/queue/receipts";
import { runQueue } from "@/lib/queue/run";
import { listQueue } from "@/lib/queue/list";
import { setPending } from "@/lib/queue/manage";
import { outboxTransport } from "@/lib/mail/transport";
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

    expect(await recordReceipt({ channel: "email", providerMessageId: "p-1", delivered: true, actor: "dsn" })).toBe("applied");
    expect(await recordReceipt({ channel: "email", providerMessageId: "p-2", delivered: true, actor: "dsn" })).toBe("early");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "p-1", delivered: true, actor: "dsn" })).toBe("early");
    // The same receipt again changes nothing
    expect(await recordReceipt({ channel: "email", providerMessageId: "p-1", delivered: true, actor: "dsn" })).toBe("duplicate");

    const [first] = await db.select().from(queue).where(eq(queue.id, rows[0].id));
    expect(first.status).toBe("delivered");
    expect(first.deliveredAt).not.toBeNull();
    expect(first.receiptAt).toEqual(first.deliveredAt);
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
    expect(row).toMatchObject({ status: "error", lastError: "mailbox full", retryable: false, deliveredAt: null });
    // When it came is kept, for the list, the row's page and the CSV export.
    expect(row.receiptAt).toBeInstanceOf(Date);
    const [listed] = (await listQueue(eq(queue.messageId, messageId))).rows;
    expect(listed).toMatchObject({ receiptAt: row.receiptAt, deliveredAt: null, providerMessageId: "p-9" });
    // Sent again by hand: the old receipt no longer speaks for the row.
    expect(await setPending(eq(queue.id, row.id), "user:1")).toBe(1);
    const [again] = await db.select().from(queue).where(eq(queue.id, row.id));
    expect(again).toMatchObject({ status: "pending", receiptAt: null, deliveredAt: null });
  });

  it("receipts of a long SMS's later parts are recognised by any process, even one that came first", async () => {
    const site = await makeSite();
    const { messageId } = await enqueue({
      siteId: site.id,
      channel: "sms",
      message: { kind: "sms", subject: "", text: "long", fromName: "", fromAddress: "" },
      recipients: [{ address: "+33612340201" }, { address: "+33612340202" }],
    });
    // The SMSC answered part 3 of the second SMS, and reported on it, before its outcome was written.
    expect(await recordReceipt({ channel: "sms", providerMessageId: "L2-3", delivered: true, actor: "smpp" })).toBe("early");
    const ids = new Map([["+33612340201", ["L1-1", "L1-2"]], ["+33612340202", ["L2-1", "L2-2", "L2-3"]]]);
    const transport = { kind: "smpp" as const, close() {}, send: async (m: { to: string }) => ({ providerMessageId: ids.get(m.to)![0], partIds: ids.get(m.to)!.slice(1) }) };
    const run = await runQueue({ kind: "send", siteId: site.id, runner: "test", transport: outboxTransport(), sms: async () => transport });
    expect(run.sent).toBe(2);

    const stored = await db.select({ recipient: queue.recipient, provider: queue.providerMessageId, parts: queue.providerPartIds }).from(queue).where(eq(queue.messageId, messageId)).orderBy(queue.recipient);
    expect(stored).toEqual([
      { recipient: "+33612340201", provider: "L1-1", parts: ["L1-2"] },
      { recipient: "+33612340202", provider: "L2-1", parts: ["L2-2", "L2-3"] },
    ]);
    // A later part's DELIVRD changes nothing and waits for nothing; the first part's decides
    // (a later part's failure does not: tests/queue/receipts-long-sms.test.ts).
    expect(await recordReceipt({ channel: "sms", providerMessageId: "L1-2", delivered: true, actor: "smpp" })).toBe("part");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "L1-1", delivered: true, actor: "smpp" })).toBe("applied");
    const waiting = rows<{ id: string }>(await db.execute(sql`select provider_message_id as id from queue_receipts where applied_at is null and provider_message_id like 'L%'`));
    expect(waiting).toEqual([]); // L2-3, which came first, was settled when the outcome was written
    expect((await db.select({ status: queue.status }).from(queue).where(eq(queue.messageId, messageId)).orderBy(queue.recipient)).map((r) => r.status)).toEqual(["delivered", "sent"]);
  });

  it("a receipt that beats the outcome write is kept and applied when the row is recorded sent", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "Org" }, recipients: [{ address: "+33612345670" }] });
    const claimed = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "runner" });
    // The SMSC answered submit_sm with "early-1" and its receipt arrives before the runner's write.
    expect(await recordReceipt({ channel: "sms", providerMessageId: "early-1", delivered: true, actor: "smpp" })).toBe("early");
    const writer = outcomeWriter(claimed.token, "runner");
    writer.push({ id: claimed.ids[0], ok: true, providerMessageId: "early-1", channel: "sms" });
    await writer.close();
    const [row] = await db.select().from(queue).where(eq(queue.id, claimed.ids[0]));
    expect(row).toMatchObject({ status: "delivered", providerMessageId: "early-1" });
    const history = await db.select().from(queueEvents).where(eq(queueEvents.queueId, row.id)).orderBy(queueEvents.id);
    expect(history.map((h) => h.toStatus)).toEqual(["sending", "sent", "delivered"]);
    // Late duplicates change nothing.
    expect(await recordReceipt({ channel: "sms", providerMessageId: "early-1", delivered: true, actor: "smpp" })).toBe("duplicate");
  });

  it("a receipt vouched for by one site never changes another site's row", async () => {
    const [mine, other] = [await makeSite(), await makeSite()];
    const { messageId } = await enqueue({ siteId: other.id, channel: "sms", message: { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "Org" }, recipients: [{ address: "+33612345671" }] });
    await db.update(queue).set({ status: "sent", providerMessageId: "SMx" }).where(eq(queue.messageId, messageId));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "SMx", delivered: true, actor: "twilio", siteId: mine.id })).toBe("early");
    const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
    expect(row.status).toBe("sent");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "SMx", delivered: false, actor: "twilio", siteId: other.id })).toBe("applied");
    // The other site's receipt was stored waiting (it applied to nothing), the genuine one applied.
    const stored = rows<{ site: number; applied: boolean }>(
      await db.execute(sql`select site_id as site, applied_at is not null as applied from queue_receipts where provider_message_id = 'SMx' order by id`),
    );
    expect(stored).toEqual([{ site: mine.id, applied: false }, { site: other.id, applied: true }]);
  });

  it("an id the SMSC gave to an old message's later part, given again to a new message, is the new message's", async () => {
    const site = await makeSite();
    const { messageId } = await enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "" }, recipients: [{ address: "+33612345681" }, { address: "+33612345682" }] });
    const [old, fresh] = await db.select().from(queue).where(eq(queue.messageId, messageId)).orderBy(queue.id);
    await db.update(queue).set({ status: "delivered", sentAt: new Date(), providerMessageId: "R-1", providerPartIds: ["R-2"] }).where(eq(queue.id, old.id));
    await db.update(queue).set({ status: "sent", sentAt: new Date(), providerMessageId: "R-2" }).where(eq(queue.id, fresh.id));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "R-2", delivered: true, actor: "smpp" })).toBe("applied");
    expect((await db.select().from(queue).where(eq(queue.id, fresh.id)))[0].status).toBe("delivered");
  });

  it("a forged receipt for another site's id neither changes the row nor blocks the genuine one", async () => {
    const [mine, other] = [await makeSite(), await makeSite()];
    const { messageId } = await enqueue({ siteId: other.id, channel: "sms", message: { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "Org" }, recipients: [{ address: "+33612345672" }] });
    await db.update(queue).set({ status: "sent", providerMessageId: "SMy" }).where(eq(queue.messageId, messageId));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "SMy", delivered: true, actor: "twilio", siteId: mine.id })).toBe("early");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "SMy", delivered: true, actor: "twilio", siteId: other.id })).toBe("applied");
    const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
    expect(row.status).toBe("delivered");
  });

  it("counts a receipt anew when the provider reuses an id long after, instead of calling it a duplicate", async () => {
    const site = await makeSite();
    const sms = (address: string) => enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "Org" }, recipients: [{ address }] });
    const first = await sms("+33612345673");
    await db.update(queue).set({ status: "sent", providerMessageId: "reused-1" }).where(eq(queue.messageId, first.messageId));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "reused-1", delivered: true, actor: "smpp" })).toBe("applied");
    // A day later the SMSC's counter has wrapped: another message gets the same id.
    await db.execute(sql`update queue_receipts set received_at = now() - interval '1 day' where provider_message_id = 'reused-1'`);
    const second = await sms("+33612345674");
    await db.update(queue).set({ status: "sent", providerMessageId: "reused-1" }).where(eq(queue.messageId, second.messageId));
    expect(await recordReceipt({ channel: "sms", providerMessageId: "reused-1", delivered: true, actor: "smpp" })).toBe("applied");
    const [row] = await db.select().from(queue).where(eq(queue.messageId, second.messageId));
    expect(row.status).toBe("delivered");
  });

  it("a run applies receipts that waited, even one stored while its outcome was being written", async () => {
    const site = await makeSite();
    const { messageId } = await enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "t", fromName: "", fromAddress: "Org" }, recipients: [{ address: "+33612345675" }] });
    expect(await recordReceipt({ channel: "sms", providerMessageId: "raced-1", delivered: true, actor: "smpp" })).toBe("early");
    // The outcome was committed without applying it (the two statements overlapped).
    await db.update(queue).set({ status: "sent", providerMessageId: "raced-1" }).where(eq(queue.messageId, messageId));
    await runQueue({ kind: "send", siteId: site.id, runner: "sweeper", transport: outboxTransport() });
    const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
    expect(row.status).toBe("delivered");
  });

  it("the retry pass deletes receipts past their retention, oldest first, and keeps recent ones", async () => {
    const site = await makeSite();
    const store = (id: string) => recordReceipt({ channel: "sms", providerMessageId: id, delivered: true, actor: "smpp" });
    for (const id of ["purge-old-1", "purge-old-2", "purge-old-3", "purge-recent"]) await store(id);
    const age = (id: string, days: number) => db.execute(sql`update queue_receipts set received_at = now() - make_interval(days => ${days}) where provider_message_id = ${id}`);
    await age("purge-old-1", RECEIPT_RETENTION_DAYS + 3);
    await age("purge-old-2", RECEIPT_RETENTION_DAYS + 1);
    await age("purge-old-3", RECEIPT_RETENTION_DAYS + 1);
    await age("purge-recent", RECEIPT_RETENTION_DAYS - 1);
    const ids = async () =>
      rows<{ id: string }>(await db.execute(sql`select provider_message_id as id from queue_receipts where provider_message_id like 'purge-%' order by id`)).map((r) => r.id);

    expect(await purgeOldReceipts(1)).toBe(1); // at most `limit` per call, the earliest stored first
    expect(await ids()).toEqual(["purge-old-2", "purge-old-3", "purge-recent"]);
    await runQueue({ kind: "retry", siteId: site.id, runner: "retry", transport: outboxTransport() });
    expect(await ids()).toEqual(["purge-recent"]);
  });
});


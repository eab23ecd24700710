import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { recordReceipt } from "@/lib/queue/receipts";
import { runQueue } from "@/lib/queue/run";
import { outboxTransport } from "@/lib/mail/transport";
import { smsAccount } from "@/lib/sms/opt-out";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { makeSite } from "../helpers/factories";

// Two sites, each with its own SMPP provider. Provider message ids are only unique per SMSC
// (many number submits 1, 2, 3… or use short hex counters), so two providers can hand out the
// same id: a receipt heard on provider A's session must not touch a row sent through provider B.
let smscA: SmscHarness, smscB: SmscHarness;
beforeAll(async () => {
  [smscA, smscB] = await Promise.all([startSmsc(), startSmsc()]);
});
afterAll(async () => {
  await closeSmsTransports();
  await Promise.all([smscA.close(), smscB.close()]);
});

const sms = (siteId: number, phone: string, text = "hi") =>
  enqueue({ siteId, channel: "sms", message: { kind: "sms", subject: "", text, fromName: "", fromAddress: "Org" }, recipients: [{ address: phone }] });

/** A row recorded sent (or still sending) through `account` with `providerId`, as the runner writes it. */
async function sentRow(siteId: number, phone: string, providerId: string, account: string | null, status: "sent" | "sending" = "sent") {
  const { messageId } = await sms(siteId, phone);
  await db.update(queue).set({ status, sentAt: new Date(), providerMessageId: providerId, providerAccount: account }).where(eq(queue.messageId, messageId));
  return messageId;
}
const rowOf = async (messageId: number) => (await db.select().from(queue).where(eq(queue.messageId, messageId)))[0];
const statusOf = async (messageId: number) => (await rowOf(messageId)).status;

describe("SMPP receipts are scoped to the account that sent the SMS", () => {
  it("provider A's UNDELIV receipt for id 42 leaves site B's row (sent through provider B) alone", async () => {
    const a = await makeSite({ domain: "xa.example.org", smsUrl: smscA.url({ source: "A" }) });
    const b = await makeSite({ domain: "xb.example.org", smsUrl: smscB.url({ source: "B" }) });
    const rowA = await sentRow(a.id, "+33612340101", "42", smsAccount(smscA.url()));
    const rowB = await sentRow(b.id, "+33612340102", "42", smsAccount(smscB.url()));
    expect(await listenForSmsReplies()).toBe(2);
    await smscA.sendReceipt("42", "UNDELIV");
    await vi.waitFor(async () => expect(await statusOf(rowA)).toBe("error"));
    expect(await statusOf(rowB)).toBe("sent");
    await smscB.sendReceipt("42", "DELIVRD");
    await vi.waitFor(async () => expect(await statusOf(rowB)).toBe("delivered"));
    expect(await statusOf(rowA)).toBe("error");
  });

  it("provider B's genuine receipt is kept, not taken as a duplicate of provider A's for the same id", async () => {
    const a = await makeSite({ domain: "ya.example.org", smsUrl: smscA.url({ source: "A" }) });
    const b = await makeSite({ domain: "yb.example.org", smsUrl: smscB.url({ source: "B" }) });
    const rowA = await sentRow(a.id, "+33612340201", "77", smsAccount(smscA.url()));
    // Site B's outcome not written yet (the receipt beat the outcome write): an early receipt.
    await sentRow(b.id, "+33612340202", "77", smsAccount(smscB.url()), "sending");
    await listenForSmsReplies();
    await smscA.sendReceipt("77", "DELIVRD");
    await vi.waitFor(async () => expect(await statusOf(rowA)).toBe("delivered"));
    await smscB.sendReceipt("77", "DELIVRD");
    const stored = async () =>
      rows<{ account: string; applied: boolean }>(
        await db.execute(sql`select provider_account as account, applied_at is not null as applied from queue_receipts where provider_message_id = '77' order by id`),
      );
    // B's receipt is kept, waiting to be applied once B's row is recorded sent.
    await vi.waitFor(async () =>
      expect(await stored()).toEqual([
        { account: smsAccount(smscA.url()), applied: true },
        { account: smsAccount(smscB.url()), applied: false },
      ]),
    );
  });

  it("a row sent through a site's SMPP URL keeps its account, and only that account's receipt applies", async () => {
    const a = await makeSite({ domain: "za.example.org", smsUrl: smscA.url({ source: "A" }) });
    const b = await makeSite({ domain: "zb.example.org", smsUrl: smscB.url({ source: "B" }) });
    const { messageId } = await sms(b.id, "+33612340301", "through B");
    const run = await runQueue({ kind: "send", siteId: b.id, runner: "test", transport: outboxTransport() });
    expect(run.sent).toBe(1);
    const sent = await rowOf(messageId);
    expect(sent).toMatchObject({ status: "sent", providerAccount: smsAccount(smscB.url()) });
    expect(sent.providerMessageId).toBe(smscB.submits.at(-1)!.messageId);
    // Site A's provider reporting on that id (its own message, by coincidence) changes nothing…
    await listenForSmsReplies([a.id, b.id]);
    await smscA.sendReceipt(sent.providerMessageId!, "UNDELIV");
    await new Promise((r) => setTimeout(r, 200));
    expect(await statusOf(messageId)).toBe("sent");
    // …site B's own does.
    await smscB.sendReceipt(sent.providerMessageId!, "DELIVRD");
    await vi.waitFor(async () => expect(await statusOf(messageId)).toBe("delivered"));
  });

  it("a later part's id on one account is a first id on another", async () => {
    const site = await makeSite();
    const long = await sms(site.id, "+33612340401");
    await db.update(queue).set({ status: "sent", sentAt: new Date(), providerMessageId: "P-1", providerPartIds: ["P-2"], providerAccount: "smpp://a@a.example:2775" }).where(eq(queue.messageId, long.messageId));
    const short = await sentRow(site.id, "+33612340402", "P-2", "smpp://b@b.example:2775");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "P-2", delivered: true, actor: "smpp", account: "smpp://a@a.example:2775" })).toBe("part");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "P-2", delivered: true, actor: "smpp", account: "smpp://b@b.example:2775" })).toBe("applied");
    expect(await statusOf(short)).toBe("delivered");
    expect(await statusOf(long.messageId)).toBe("sent");
  });

  it("writing a long SMS's outcome settles its later parts' receipts from its own account only", async () => {
    const site = await makeSite();
    const { messageId } = await sms(site.id, "+33612340601");
    // Account B reported on its own message "Q-2" before anything was written; account A then
    // numbers a later part of this SMS "Q-2" too.
    expect(await recordReceipt({ channel: "sms", providerMessageId: "Q-2", delivered: true, actor: "smpp", account: "smpp://b@b.example:2775" })).toBe("early");
    expect(await recordReceipt({ channel: "sms", providerMessageId: "Q-3", delivered: true, actor: "smpp", account: "smpp://a@a.example:2775" })).toBe("early");
    const transport = { kind: "smpp" as const, close() {}, send: async () => ({ providerMessageId: "Q-1", partIds: ["Q-2", "Q-3"], account: "smpp://a@a.example:2775" }) };
    expect((await runQueue({ kind: "send", siteId: site.id, runner: "test", transport: outboxTransport(), sms: async () => transport })).sent).toBe(1);
    expect(await rowOf(messageId)).toMatchObject({ status: "sent", providerAccount: "smpp://a@a.example:2775", providerPartIds: ["Q-2", "Q-3"] });
    const waiting = rows<{ id: string }>(await db.execute(sql`select provider_message_id as id from queue_receipts where applied_at is null and provider_message_id like 'Q-%' order by id`));
    expect(waiting).toEqual([{ id: "Q-2" }]); // B's receipt still waits for B's row
  });

  it("rows sent before accounts were recorded still take receipts by their id alone", async () => {
    const site = await makeSite();
    const legacy = await sentRow(site.id, "+33612340501", "legacy-1", null);
    expect(await recordReceipt({ channel: "sms", providerMessageId: "legacy-1", delivered: true, actor: "smpp", account: "smpp://a@a.example:2775" })).toBe("applied");
    expect(await statusOf(legacy)).toBe("delivered");
  });
});

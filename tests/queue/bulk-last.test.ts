import { describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queue } from "@/db/schema";
import { claim } from "@/lib/queue/claim";
import { setPending } from "@/lib/queue/manage";
import { enqueue } from "@/lib/queue/enqueue";
import { pendingTiming } from "@/lib/queue/stats";
import { makeSite } from "../helpers/factories";

const content = (kind: string) => ({ kind, subject: kind, text: "t", fromName: "", fromAddress: "news@example.org" });
const addresses = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ address: `${tag}${i}@example.org` }));

describe("a newsletter's rows wait behind what one person is waiting for", () => {
  it("a password reset queued after a large newsletter is taken first, by sends and by retries", async () => {
    const site = await makeSite();
    const letter = await enqueue({ siteId: site.id, message: content("newsletter"), recipients: addresses(1200, "reader") });
    const reset = await enqueue({ siteId: site.id, message: content("password_reset"), recipients: [{ address: "forgot@example.org" }] });
    const confirm = await enqueue({ siteId: site.id, message: content("subscription_confirm"), recipients: [{ address: "new@example.org" }] });
    const bulk = Object.fromEntries((await db.select({ m: queue.messageId, bulk: queue.bulk }).from(queue).where(eq(queue.siteId, site.id))).map((r) => [r.m, r.bulk]));
    expect(bulk).toEqual({ [letter.messageId]: true, [reset.messageId]: false, [confirm.messageId]: false });

    // The first claim takes the two of them, then the newsletter's oldest rows.
    const first = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "runner" });
    const taken = await db.select({ id: queue.id, m: queue.messageId, recipient: queue.recipient }).from(queue).where(inArray(queue.id, first.ids));
    expect(taken.filter((r) => r.m !== letter.messageId).map((r) => r.recipient).sort()).toEqual(["forgot@example.org", "new@example.org"]);
    expect(taken.filter((r) => r.m === letter.messageId).map((r) => r.recipient).sort()).toEqual(addresses(8, "reader").map((a) => a.address).sort());

    // Retries are taken in the same order: a failed reset before the newsletter's failures.
    await db.update(queue).set({ status: "error", retryable: true, nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(queue.siteId, site.id));
    const retry = await claim({ kind: "retry", siteId: site.id, limit: 2, actor: "runner" });
    const retried = await db.select({ m: queue.messageId }).from(queue).where(inArray(queue.id, retry.ids));
    expect(retried.map((r) => r.m).sort()).toEqual([reset.messageId, confirm.messageId].sort());
  });

  it("the queue screen still finds the first pending row, bulk or not, due or waiting", async () => {
    const site = await makeSite();
    expect(await pendingTiming(site.id)).toEqual({ due: false, waitsUntil: null });
    const later = new Date(Date.now() + 3_600_000);
    const { messageId } = await enqueue({ siteId: site.id, message: content("newsletter"), recipients: addresses(3, "held") });
    await db.update(queue).set({ nextAttemptAt: later }).where(eq(queue.messageId, messageId));
    expect(await pendingTiming(site.id)).toEqual({ due: false, waitsUntil: later });
    await enqueue({ siteId: site.id, message: content("registration"), recipients: [{ address: "now@example.org" }] });
    expect(await pendingTiming(site.id)).toEqual({ due: true, waitsUntil: null });
  });

  it("a newsletter's row sent before migration 0039 (bulk still false) and resent by hand waits behind a password reset", async () => {
    const site = await makeSite();
    const letter = await enqueue({ siteId: site.id, message: content("newsletter"), recipients: addresses(3, "old") });
    // As 0039 left them: sent before it ran, so never marked bulk.
    await db.update(queue).set({ status: "sent", sentAt: new Date(), bulk: false }).where(eq(queue.messageId, letter.messageId));

    expect(await setPending(sql`message_id = ${letter.messageId}`, "user:1")).toBe(3);
    const reset = await enqueue({ siteId: site.id, message: content("password_reset"), recipients: [{ address: "forgot@example.org" }] });

    // Queued after the resend, the reset is still taken first.
    const first = await claim({ kind: "send", siteId: site.id, limit: 1, actor: "runner" });
    const [taken] = await db.select({ m: queue.messageId }).from(queue).where(inArray(queue.id, first.ids));
    expect(taken.m).toBe(reset.messageId);
    expect((await db.select({ bulk: queue.bulk }).from(queue).where(eq(queue.messageId, letter.messageId))).map((r) => r.bulk)).toEqual([true, true, true]);
  });
});

import { describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, queueEvents } from "@/db/schema";
import type { EmailTransport } from "@/lib/mail/transport";
import { claim, recoverExpiredLeases } from "@/lib/queue/claim";
import { deliverClaimed } from "@/lib/queue/deliver";
import { enqueue } from "@/lib/queue/enqueue";
import { outcomeWriter } from "@/lib/queue/outcome-writer";
import { runQueue } from "@/lib/queue/run";
import { makeSite } from "../helpers/factories";

// What keeps a message from going twice when the runner is alive but the database or the clock
// misbehave: a failed outcome write, a runner paused past its lease, a step run twice at once.

const message = { kind: "test", subject: "s", text: "t", fromName: "", fromAddress: "o@example.org" };
const people = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ address: `${p}${i}@example.org` }));

/** A transport that records every address it was asked to send to; `onSend` runs before each answer. */
function transportFor(onSend: (to: string, count: number) => Promise<void> | void = () => {}) {
  const sent: string[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(mail, meta) {
      sent.push(String(mail.to));
      await onSend(String(mail.to), sent.length);
      return { providerMessageId: `p-${meta.queueId}` };
    },
    close() {},
  };
  return { transport, sent };
}

const statusesOf = async (siteId: number) =>
  (await db.select({ status: queue.status }).from(queue).where(eq(queue.siteId, siteId))).map((r) => r.status);

/** Blocks the whole thread, as a paused process is: no timer, no renewal, nothing runs meanwhile. */
const freeze = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * A transport whose first send pauses the whole runner past its lease, once `meanwhile` (another
 * runner taking rows, done first: a frozen thread runs nothing) has run. The other sends wait
 * until the runner wakes: before it, no more than the sends in flight have started, and what the
 * runner does with the rest of its batch is decided after.
 */
function pausingTransport(meanwhile: () => Promise<number[]>) {
  let taken: number[] = [];
  let wokeAt = Infinity;
  let wake = () => {};
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const started: { to: string; at: number }[] = [];
  const { transport } = transportFor(async (to, count) => {
    started.push({ to, at: performance.now() });
    if (count !== 1) return woken;
    taken = await meanwhile();
    freeze(1_600);
    wokeAt = performance.now();
    wake();
  });
  return {
    transport,
    taken: () => taken,
    /** The sends to rows among `ids` started once the runner woke. */
    async startedAfterWaking(ids: number[]) {
      const theirs = new Set((await db.select({ to: queue.recipient }).from(queue).where(inArray(queue.id, ids))).map((r) => r.to));
      return started.filter((s) => s.at >= wokeAt && theirs.has(s.to));
    },
  };
}

describe("lease safety", () => {
  it("an outcome write that fails is tried again: every message goes once and is recorded sent", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: people(5, "w") });
    // The first write of an outcome fails (a sequence is not rolled back with the failed statement).
    await db.execute(sql`create sequence if not exists fail_once_seq`);
    await db.execute(sql`
      create or replace function fail_once() returns trigger language plpgsql as $$
      begin
        if nextval('fail_once_seq') = 1 then raise exception 'connection lost (test)'; end if;
        return new;
      end $$`);
    await db.execute(sql`create trigger fail_once before update on queue for each row when (new.status = 'sent') execute function fail_once()`);
    try {
      const { transport, sent } = transportFor();
      const summary = await runQueue({ kind: "send", siteId: site.id, runner: "writer-test", transport });
      expect(summary).toMatchObject({ claimed: 5, sent: 5, failed: 0 });
      expect(sent.toSorted()).toEqual(people(5, "w").map((p) => p.address));
      expect(await statusesOf(site.id)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
      // The history says what happened: sent, not recovered from a dead runner.
      const events = await db
        .select({ to: queueEvents.toStatus, actor: queueEvents.actor })
        .from(queueEvents)
        .innerJoin(queue, eq(queue.id, queueEvents.queueId))
        .where(eq(queue.siteId, site.id));
      expect(events.filter((e) => e.actor === "lease-recovery")).toEqual([]);
      expect(events.filter((e) => e.to === "sent")).toHaveLength(5);
    } finally {
      await db.execute(sql`drop trigger fail_once on queue`);
      await db.execute(sql`drop function fail_once()`);
      await db.execute(sql`drop sequence fail_once_seq`);
    }
  });

  it("a runner paused past its lease sends none of the rows another runner took meanwhile", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: people(30, "p") });
    // While this runner is paused for longer than its 1 s lease, the lease expires and another
    // runner recovers the rows and claims them.
    const paused = pausingTransport(async () => {
      await db.execute(sql`update queue set lease_expires_at = now() - interval '1 second' where site_id = ${site.id} and status = 'sending'`);
      await recoverExpiredLeases(site.id);
      return (await claim({ kind: "send", siteId: site.id, limit: 100, actor: "other-runner", leaseSeconds: 300 })).ids;
    });
    await runQueue({ kind: "send", siteId: site.id, runner: "paused", transport: paused.transport, batchSize: 30, maxBatches: 1, leaseSeconds: 1 });
    const taken = paused.taken();
    expect(taken.length).toBeGreaterThan(0);
    // Sends already started when it froze finish; nothing of theirs is started after it woke.
    expect(await paused.startedAfterWaking(taken)).toEqual([]);
    // Their rows stay theirs: still `sending` under the other runner's lease, never recorded by the paused one.
    const still = await db.select({ status: queue.status }).from(queue).where(inArray(queue.id, taken));
    expect(new Set(still.map((r) => r.status))).toEqual(new Set(["sending"]));
  });

  it("a claim over two sites: when one site's rows were recovered and taken, the paused runner sends none of them", async () => {
    const [a, b] = [await makeSite(), await makeSite()];
    await enqueue({ siteId: a.id, message, recipients: people(40, "sa") }); // more than the sends in flight
    await enqueue({ siteId: b.id, message, recipients: people(12, "sb") });
    // Site A's "send now" recovers and takes site A's rows only; site B's stay under the lease.
    const paused = pausingTransport(async () => {
      await db.execute(sql`update queue set lease_expires_at = now() - interval '1 second' where site_id in (${a.id}, ${b.id}) and status = 'sending'`);
      await recoverExpiredLeases(a.id);
      return (await claim({ kind: "send", siteId: a.id, limit: 100, actor: "site-a-button", leaseSeconds: 300 })).ids;
    });
    await runQueue({ kind: "send", siteId: null, runner: "paused", transport: paused.transport, batchSize: 52, maxBatches: 1, leaseSeconds: 1 });
    expect(paused.taken().length).toBeGreaterThan(0);
    expect(await paused.startedAfterWaking(paused.taken())).toEqual([]);
  });

  it("the same claim delivered twice at once (a step run again while it still runs) sends each row once", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: people(20, "s") });
    const c = await claim({ kind: "send", siteId: site.id, limit: 20, actor: "step" });
    const { transport, sent } = transportFor(() => new Promise((resolve) => setTimeout(resolve, 5)));
    const first = deliverClaimed({ ids: c.ids, token: c.token, actor: "step", transport, concurrency: 2 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = deliverClaimed({ ids: c.ids, token: c.token, actor: "step", transport, concurrency: 2 });
    const [a, b] = await Promise.all([first, second]);
    expect(sent.toSorted()).toEqual(people(20, "s").map((p) => p.address).toSorted());
    expect(a.sent + b.sent).toBe(20);
    expect(await statusesOf(site.id)).toEqual(Array(20).fill("sent"));
  });

  it("a row that disappears under a write does not make the batch's other rows look taken", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: people(3, "d") });
    const c = await claim({ kind: "send", siteId: site.id, limit: 3, actor: "t" });
    await db.delete(queue).where(eq(queue.id, c.ids[0]));
    const writer = outcomeWriter(c.token, "t");
    for (const id of c.ids) writer.push({ id, ok: true, providerMessageId: `p-${id}` });
    await writer.close();
    expect(writer.lost).toBe(false);
    // Rows another runner took are taken, though.
    await enqueue({ siteId: site.id, message, recipients: [{ address: "late@example.org" }] });
    const mine = await claim({ kind: "send", siteId: site.id, limit: 1, actor: "t" });
    await db.update(queue).set({ leaseToken: "00000000-0000-4000-8000-000000000000" }).where(eq(queue.id, mine.ids[0]));
    const late = outcomeWriter(mine.token, "t");
    late.push({ id: mine.ids[0], ok: true, providerMessageId: "p" });
    await late.close();
    expect(late.lost).toBe(true);
  });

  it("a recovered lease gives its attempt back, up to three times", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: [{ address: "crash@example.org" }] });
    const attempts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await claim({ kind: "send", siteId: site.id, limit: 1, actor: "dies", leaseSeconds: 1 });
      expect(c.ids).toHaveLength(1);
      await db.update(queue).set({ leaseExpiresAt: new Date(Date.now() - 1000) }).where(eq(queue.id, c.ids[0]));
      expect(await recoverExpiredLeases(site.id)).toBe(1);
      attempts.push((await db.select({ n: queue.attempts }).from(queue).where(eq(queue.id, c.ids[0])))[0].n);
    }
    expect(attempts).toEqual([0, 0, 0, 1]);
  });
});

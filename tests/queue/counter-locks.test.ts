import { describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue, smsReplies, subscriptions } from "@/db/schema";
import { answerReply } from "@/lib/sms/replies";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { claim, recoverExpiredLeases } from "@/lib/queue/claim";
import { enqueue } from "@/lib/queue/enqueue";
import { setPending } from "@/lib/queue/manage";
import { ERASED_NOTE } from "@/lib/queue/notes";
import { recordOutcomes } from "@/lib/queue/record";
import { makeSite } from "../helpers/factories";
import { until } from "../helpers/wait";

// The queue's counters (queue_status_counts per site, message_status_counts per message, kept by
// the statement-level trigger of migrations 0003 and 0040) are rows every status change locks until
// its transaction ends. Locks held at once by two transactions need real connections: these tests
// are registered only on PostgreSQL (a plain `if`, as tests/queue/concurrency.test.ts).

const newsletter = { kind: "newsletter", subject: "News", text: "t", fromName: "", fromAddress: "news@example.org" };
const people = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ address: `${tag}${i}@example.org` }));

/** Sessions of this test's database waiting for a lock another one holds. */
async function lockWaits() {
  const result = await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/** The counters must still equal the rows, per site and per message. */
async function expectCountersTrue(siteId: number) {
  const site = await db.execute(sql`
    select coalesce(c.status, q.status) as status, coalesce(c.n, 0)::int as counted, coalesce(q.n, 0)::int as actual
      from (select status, n from queue_status_counts where site_id = ${siteId}) c
      full join (select status, count(*) as n from queue where site_id = ${siteId} group by status) q on q.status = c.status
     where coalesce(c.n, 0) <> coalesce(q.n, 0)`);
  expect(rows(site)).toEqual([]);
  const messages = await db.execute(sql`
    with mine as (select id from outbound_messages where site_id = ${siteId})
    select * from (select message_id, status, retryable, n from message_status_counts where message_id in (select id from mine)) c
      full join (select message_id, status, retryable, count(*) as n from queue where message_id in (select id from mine) group by 1, 2, 3) q
        using (message_id, status, retryable)
     where coalesce(c.n, 0) <> coalesce(q.n, 0)`);
  expect(rows(messages)).toEqual([]);
}

if (process.env.DATABASE_URL) {
  describe("counter locks on PostgreSQL", () => {
    // First in the file: the table is still one page, where rows lie in the order they were last written.
    it("a resend and an erasure lock the rows they share in the same order (id), whatever order the table holds them in", { timeout: 60_000 }, async () => {
      const site = await makeSite();
      const person = "dee@example.org";
      const first = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      const second = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }, { address: "held@example.org" }] });
      await db.update(queue).set({ status: "error", retryable: false, lastError: "550" }).where(eq(queue.siteId, site.id));
      const idOf = async (messageId: number, recipient: string) =>
        (await db.select({ id: queue.id }).from(queue).where(and(eq(queue.messageId, messageId), eq(queue.recipient, recipient))))[0].id;
      const a = await idOf(first.messageId, person);
      const b = await idOf(second.messageId, person);
      const h = await idOf(second.messageId, "held@example.org");
      // Rewritten b, then h, then a: a scan of the table meets them in that order, not by id.
      for (const id of [b, h, a]) await db.execute(sql`update queue set updated_at = now() where id = ${id}`);
      const scanned = rows<{ id: string }>(await db.execute(sql`select id from queue where site_id = ${site.id} order by ctid`)).map((r) => Number(r.id));
      expect(scanned).toEqual([b, h, a]);

      // The resend takes b, then waits for h, held by another transaction; the erasure takes a
      // (its first by id) and waits for b. Once h is free, the resend must not wait for a.
      let release!: () => void;
      let held!: () => void;
      const isHeld = new Promise<void>((resolve) => (held = resolve));
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`select id from queue where id = ${h} for update`);
        held();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isHeld;
      // "Resend messages in error" of a superuser (every site): a plain scan of the table.
      const resend = setPending(sql`status = 'error'`, "user:resend");
      await until("the resend to wait for the held row", async () => (await lockWaits()) >= 1);
      const erasure = eraseSubscriber(site.id, person, "user:erase");
      await until("the erasure to wait", async () => (await lockWaits()) >= 2);
      release();
      await holder;
      const settled = await Promise.allSettled([resend, erasure]);
      expect(settled.map((s) => (s.status === "rejected" ? String((s.reason as Error)?.cause ?? s.reason) : "ok"))).toEqual(["ok", "ok"]);
      await expectCountersTrue(site.id);
    });

    it("erasing a person whose rows are retryable errors (a change of `retryable` only) never deadlocks with runners claiming and recording the same messages", { timeout: 180_000 }, async () => {
      // The cancel changes only `retryable` (error → error): the trigger writes message counters and
      // no site counter. A runner's statement writes site counters, then message counters. Neither
      // waits for a site counter while holding a message counter, so they cannot wait on each other
      // in a circle: this runs both side by side and expects every statement to succeed.
      const failures: string[] = [];
      for (let round = 0; round < 25; round++) {
        const site = await makeSite();
        const person = `ann${round}@example.org`;
        const messageIds: number[] = [];
        for (let m = 0; m < 3; m++) {
          const { messageId } = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }, ...people(60, `r${round}m${m}-`)] });
          messageIds.push(messageId);
        }
        // Half of every message failed and waits for its retry, the person's rows among them.
        const past = sql`now() - interval '1 second'`;
        await db.execute(sql`
          update queue set status = 'error', retryable = true, attempts = 1, last_error = '451 try later', next_attempt_at = ${past}
           where site_id = ${site.id} and (recipient = ${person} or id % 2 = 0)`);

        const runner = async (kind: "send" | "retry", i: number) => {
          for (let pass = 0; pass < 3; pass++) {
            const { token, ids } = await claim({ kind, siteId: site.id, limit: 20, actor: `runner-${i}` });
            if (ids.length === 0) return;
            await recordOutcomes(token, `runner-${i}`, ids.map((id, k) => (k % 3 === 0 ? { id, ok: false as const, transient: true, error: "451" } : { id, ok: true as const, providerMessageId: `p${id}` })));
          }
        };
        const settled = await Promise.allSettled([
          runner("retry", 1),
          eraseSubscriber(site.id, person, "admin"),
          runner("send", 2),
          runner("retry", 3),
          recoverExpiredLeases(site.id),
        ]);
        for (const s of settled) if (s.status === "rejected") failures.push(String((s.reason as Error)?.cause ?? s.reason));
        // The rows that forgot the person are final: one a runner failed (transient) between the
        // erasure's cancel and its scrub, or while it was being sent, must not be retried, to an
        // address that is now "erased-<id>"; one being sent may have gone (sent, forgotten too).
        const scrubbed = await db.select({ status: queue.status, retryable: queue.retryable }).from(queue).where(and(eq(queue.siteId, site.id), inArray(queue.messageId, messageIds), sql`recipient like 'erased-%'`));
        expect(scrubbed.filter((r) => !(r.status === "error" && !r.retryable) && r.status !== "sent")).toEqual([]);
        await expectCountersTrue(site.id);
      }
      expect(failures).toEqual([]);
    });

    it("erasing a person while the site's errors are resent by hand: neither waits for the other in a circle (a deadlock aborted one)", { timeout: 60_000 }, async () => {
      // The erasure cancelled the person's pending row (site counters locked until it commits), then
      // went for their failed row, which "Resend messages in error" had just locked; that resend,
      // at the end of its statement, needed the site counters the erasure held.
      const site = await makeSite();
      const person = "bob@example.org";
      const failed = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }, ...people(5, "other"), { address: "last@example.org" }] });
      const waiting = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      await db.update(queue).set({ status: "error", retryable: false, lastError: "550 mailbox unavailable" }).where(eq(queue.messageId, failed.messageId));
      const [last] = await db.select({ id: queue.id }).from(queue).where(and(eq(queue.messageId, failed.messageId), eq(queue.recipient, "last@example.org")));

      // Another transaction holds the resend's last row for a moment, so that the resend has locked
      // the person's failed row and is still locking when the erasure starts.
      let release!: () => void;
      let held!: () => void;
      const isHeld = new Promise<void>((resolve) => (held = resolve));
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`select id from queue where id = ${last.id} for update`);
        held();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isHeld;
      const resend = setPending(sql`site_id = ${site.id} and status = 'error'`, "user:resend");
      await until("the resend to wait for the held row", async () => (await lockWaits()) >= 1);
      const erasure = eraseSubscriber(site.id, person, "user:erase");
      await until("the erasure to wait for the resend", async () => (await lockWaits()) >= 2);
      release();
      await holder;

      const [resent, erased] = await Promise.allSettled([resend, erasure]);
      const reason = (s: PromiseSettledResult<unknown>) => (s.status === "rejected" ? String((s.reason as Error)?.cause ?? s.reason) : "ok");
      expect([reason(resent), reason(erased)]).toEqual(["ok", "ok"]);
      // The resend went first; the erasure then cancelled both of the person's rows, the one just
      // set back to pending included, and they forgot the address.
      expect(resent).toMatchObject({ value: 7 });
      const theirs = await db.select({ status: queue.status, lastError: queue.lastError, recipient: queue.recipient }).from(queue).where(inArray(queue.messageId, [failed.messageId, waiting.messageId]));
      const erasedRows = theirs.filter((r) => r.recipient.startsWith("erased-"));
      expect(erasedRows).toHaveLength(2);
      expect(erasedRows.every((r) => r.status === "error" && r.lastError === ERASED_NOTE)).toBe(true);
      expect(theirs.filter((r) => !r.recipient.startsWith("erased-")).map((r) => r.status)).toEqual(Array(6).fill("pending"));
      await expectCountersTrue(site.id);
    });

    it("answering a person's SMS reply while they are erased: the answer waits or is refused, never a deadlock", { timeout: 60_000 }, async () => {
      // The answer queued its SMS (site counters locked until it commits) and then went for the
      // reply's row, which the erasure had just deleted; the erasure, cancelling the person's
      // pending newsletter, then needed the site counters the answer held.
      const site = await makeSite();
      const person = "fay@example.org";
      const phone = "+33612349977";
      await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: person, phone, status: "confirmed", source: "signup" });
      const [reply] = await db.insert(smsReplies).values({ siteId: site.id, phone, text: "Hello?" }).returning();
      const { messageId } = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      const [pendingRow] = await db.select({ id: queue.id }).from(queue).where(eq(queue.messageId, messageId));

      // The person's pending row is held for a moment, so that the erasure has deleted the reply
      // and waits there when the answer is written.
      let release!: () => void;
      let held!: () => void;
      const isHeld = new Promise<void>((resolve) => (held = resolve));
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`select id from queue where id = ${pendingRow.id} for update`);
        held();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isHeld;
      const erasure = eraseSubscriber(site.id, person, "user:erase");
      await until("the erasure to wait for the held row", async () => (await lockWaits()) >= 1);
      const answer = answerReply(site, reply.id, "We are here", "user:answer");
      await until("the answer to wait for the erasure", async () => (await lockWaits()) >= 2);
      release();
      await holder;

      const [erased, answered] = await Promise.allSettled([erasure, answer]);
      expect(erased.status === "rejected" ? String((erased.reason as Error)?.cause ?? erased.reason) : "ok").toBe("ok");
      // The reply is gone with the person: nothing to answer any more.
      expect(answered).toMatchObject({ status: "rejected", reason: { msg: { key: "errors.notFound" } } });
      expect(await db.select().from(smsReplies).where(eq(smsReplies.id, reply.id))).toEqual([]);
      expect(await db.select().from(queue).where(and(eq(queue.siteId, site.id), eq(queue.channel, "sms")))).toEqual([]);
      await expectCountersTrue(site.id);
    });

    it("a row a runner fails (transient) while the erasure is cancelling ends scrubbed and never retried", { timeout: 60_000 }, async () => {
      const site = await makeSite();
      const person = "cy@example.org";
      const inFlight = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      const { token, ids } = await claim({ kind: "send", siteId: site.id, limit: 1, actor: "runner" });
      const [row] = await db.select({ id: queue.id, messageId: queue.messageId }).from(queue).where(inArray(queue.id, ids));
      expect(row.messageId).toBe(inFlight.messageId);

      // The erasure's cancel is held, while it writes its history, until the runner has recorded
      // the row it was sending: then the erasure's next statement finds it failed and retryable.
      await db.execute(sql.raw(`create function hold_erasure() returns trigger language plpgsql as $$
        begin perform pg_advisory_xact_lock_shared(4242); return new; end $$`));
      await db.execute(sql.raw(`create trigger hold_erasure before insert on queue_events for each row
        when (new.actor = 'user:erase-held') execute function hold_erasure()`));
      try {
        let release!: () => void;
        let held!: () => void;
        const isHeld = new Promise<void>((resolve) => (held = resolve));
        const holder = db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(4242)`);
          held();
          await new Promise<void>((resolve) => (release = resolve));
        });
        await isHeld;
        const erasure = eraseSubscriber(site.id, person, "user:erase-held");
        await until("the erasure's cancel to be held", async () => (await lockWaits()) >= 1);
        // The erasure locked the row being sent: the runner's outcome waits for it to commit.
        const outcome = recordOutcomes(token, "runner", [{ id: row.id, ok: false, transient: true, error: `451 ${person} later` }]);
        await until("the runner's outcome to wait for the erasure", async () => (await lockWaits()) >= 2);
        release();
        await holder;
        await erasure;
        expect(await outcome).toEqual([row.id]);
      } finally {
        await db.execute(sql`drop trigger hold_erasure on queue_events`);
        await db.execute(sql`drop function hold_erasure()`);
      }
      const [after] = await db.select().from(queue).where(eq(queue.id, row.id));
      // Scrubbed by the erasure, then failed: final, and the provider's answer, which quotes the
      // address, is not kept (lib/queue/record.ts).
      expect(after).toMatchObject({ status: "error", recipient: `erased-${row.id}`, lastError: ERASED_NOTE, retryable: false });
      await expectCountersTrue(site.id);
    });
  });
} else {
  describe("an erasure on embedded PGlite (one connection)", () => {
    it("a row that failed (transient) between the erasure's cancel and its scrub ends scrubbed and never retried", async () => {
      const site = await makeSite();
      const person = "eve@example.org";
      const inFlight = await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      await enqueue({ siteId: site.id, message: newsletter, recipients: [{ address: person }] });
      const { ids } = await claim({ kind: "send", siteId: site.id, limit: 1, actor: "runner" });
      const [row] = await db.select({ id: queue.id, messageId: queue.messageId }).from(queue).where(inArray(queue.id, ids));
      expect(row.messageId).toBe(inFlight.messageId);
      // One connection: the runner's outcome cannot commit between two statements of the erasure,
      // so the cancel's history writes it itself, as recordOutcomes would (on PostgreSQL the test
      // above lets a real runner do it).
      await db.execute(sql.raw(`create function fail_in_flight() returns trigger language plpgsql as $$
        begin
          update queue set status = 'error', retryable = true, last_error = '451 later', lease_expires_at = null where id = ${row.id};
          return new;
        end $$`));
      await db.execute(sql.raw(`create trigger fail_in_flight before insert on queue_events for each row
        when (new.actor = 'user:erase-held') execute function fail_in_flight()`));
      try {
        await eraseSubscriber(site.id, person, "user:erase-held");
      } finally {
        await db.execute(sql`drop trigger fail_in_flight on queue_events`);
        await db.execute(sql`drop function fail_in_flight()`);
      }
      const [after] = await db.select().from(queue).where(eq(queue.id, row.id));
      expect(after).toMatchObject({ status: "error", recipient: `erased-${row.id}`, retryable: false });
      await expectCountersTrue(site.id);
    });
  });
}

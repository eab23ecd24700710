import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SMTPServer } from "smtp-server";
import { InngestTestEngine } from "@inngest/test";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { NextRequest } from "next/server";
import { db } from "@/db/client";
import { queue, queueEvents, queueRuns } from "@/db/schema";
import { env } from "@/lib/env";
import { smtpTransport } from "@/lib/mail/transport";
import { claim, claimStepToken } from "@/lib/queue/claim";
import { deliverClaimed } from "@/lib/queue/deliver";
import { enqueue } from "@/lib/queue/enqueue";
import { recordReceipt } from "@/lib/queue/receipts";
import { closeSmsTransports } from "@/lib/sms/resolve";
import { retryErrors } from "@/inngest/functions/retry-errors";
import { sendPending } from "@/inngest/functions/send-pending";
import { MAX_BATCHES, type PassSummary } from "@/inngest/queue-pass";
import { makeSite } from "../helpers/factories";
import { startSmsc } from "../helpers/smsc";

// The functions build their transport with defaultEmailTransport(); here it is the real pooled
// SMTP transport aimed at the loopback server below (its port is known only once it listens).
const smtp = vi.hoisted(() => ({ url: "", opened: 0, closed: 0 }));
vi.mock("@/lib/mail/transport", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/mail/transport")>();
  return {
    ...actual,
    defaultEmailTransport: () => {
      const transport = actual.smtpTransport(smtp.url, 2);
      smtp.opened++;
      return { ...transport, close: () => (smtp.closed++, transport.close()) };
    },
  };
});

let server: SMTPServer;
const received: { to: string; messageId: string }[] = [];
/** `flaky…` is refused once with a 4xx (transient), `reject…` always with a 5xx (permanent). */
const refusedOnce = new Set<string>();

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      const to = address.address;
      if (to.startsWith("reject")) return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      if (to.startsWith("flaky") && !refusedOnce.has(to)) {
        refusedOnce.add(to);
        return cb(Object.assign(new Error("try again later"), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString();
        const messageId = /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? "";
        for (const r of session.envelope.rcptTo) received.push({ to: r.address, messageId });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const message = { kind: "test", subject: "Hello {{name}}", text: "Hi {{name}}", fromName: "Org", fromAddress: "org@example.org" };

async function siteWith(count: number, prefix = "user") {
  const site = await makeSite();
  const recipients = Array.from({ length: count }, (_, i) => ({ address: `${prefix}${i}.${site.id}@example.org` }));
  await enqueue({ siteId: site.id, message, recipients });
  return site.id;
}

const rowsOf = (siteId: number) =>
  db.select({ id: queue.id, recipient: queue.recipient, status: queue.status }).from(queue).where(eq(queue.siteId, siteId)).orderBy(queue.id);
const receivedBy = (siteId: number) => received.filter((r) => r.to.endsWith(`.${siteId}@example.org`)).map((r) => r.to);
const enqueued = (siteId?: number) => ({ name: "queue/enqueued", data: siteId ? { siteId } : {} });
const retryRequested = (siteId?: number) => ({ name: "queue/retry-requested", data: siteId ? { siteId } : {} });
const cronTick = (schedule: string) => ({ name: "inngest/scheduled.timer", data: { cron: schedule } });

type Steps = InngestTestEngine.MockedStep[];
async function run(fn: typeof sendPending | typeof retryErrors, event: { name: string; data: Record<string, unknown> }, steps: Steps = []) {
  const t = new InngestTestEngine({ function: fn, events: [event], steps: [...steps] });
  const out = await t.execute();
  return { ...out, summary: out.result as PassSummary | undefined };
}

async function withBatchSize<T>(size: number, fn: () => Promise<T>) {
  const saved = env.QUEUE_BATCH_SIZE;
  env.QUEUE_BATCH_SIZE = size;
  try {
    return await fn();
  } finally {
    env.QUEUE_BATCH_SIZE = saved;
  }
}

describe("queue-send-pending", () => {
  it("sends every pending row of the named site once, and leaves other sites alone", async () => {
    const a = await siteWith(5);
    const b = await siteWith(3);
    const before = { opened: smtp.opened, closed: smtp.closed };

    const { summary, error } = await run(sendPending, enqueued(a));
    expect(error).toBeUndefined();
    expect(summary).toMatchObject({ kind: "send", siteId: a, batches: 1, claimed: 5, sent: 5, failed: 0, skipped: 0, continued: false });

    expect((await rowsOf(a)).map((r) => r.status)).toEqual(Array(5).fill("sent"));
    expect((await rowsOf(b)).map((r) => r.status)).toEqual(Array(3).fill("pending"));
    const sentTo = (await rowsOf(a)).map((r) => r.recipient).sort();
    expect(receivedBy(a).sort()).toEqual(sentTo);
    expect(receivedBy(b)).toEqual([]);

    // The history says who sent each row; the run is recorded for the queue screen.
    const history = await db
      .select({ to: queueEvents.toStatus, actor: queueEvents.actor })
      .from(queueEvents)
      .where(inArray(queueEvents.queueId, (await rowsOf(a)).map((r) => r.id)));
    expect(history.filter((h) => h.to === "sent")).toHaveLength(5);
    expect(history.every((h) => h.actor.startsWith("inngest-send:"))).toBe(true);
    const [runRow] = await db.select().from(queueRuns).where(eq(queueRuns.id, summary!.runId));
    expect(runRow).toMatchObject({ siteId: a, kind: "send", claimed: 5, sent: 5, failed: 0 });
    expect(runRow.finishedAt).not.toBeNull();
    // One transport per send step, always closed.
    expect(smtp.opened - before.opened).toBe(1);
    expect(smtp.closed - before.closed).toBe(1);
  });

  it("the cron run covers every site", async () => {
    const c = await siteWith(2);
    const d = await siteWith(4);
    const { summary } = await run(sendPending, cronTick("*/2 * * * *"));
    expect(summary).toMatchObject({ siteId: null });
    for (const site of [c, d]) {
      expect((await rowsOf(site)).every((r) => r.status === "sent")).toBe(true);
      expect(receivedBy(site)).toHaveLength((await rowsOf(site)).length);
    }
    // Nothing pending is left anywhere, and no address ever received two copies.
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(queue).where(eq(queue.status, "pending"));
    expect(n).toBe(0);
    expect(new Set(received.map((r) => r.messageId)).size).toBe(received.length);
  });

  it("a replayed send step sends nothing again", async () => {
    const e = await siteWith(3);
    // The claim step's memoized output, as Inngest hands it back on every later request.
    const claimed = await claim({ kind: "send", siteId: e, limit: env.QUEUE_BATCH_SIZE, actor: "test-claim" });
    const memoizedClaim: Steps = [{ id: "claim-batch-0", handler: () => ({ ...claimed, full: false }) }];

    const first = await run(sendPending, enqueued(e), memoizedClaim);
    expect(first.summary).toMatchObject({ sent: 3, skipped: 0 });
    expect(receivedBy(e)).toHaveLength(3);

    // Inngest retries the send step (its result never reached Inngest): same claim, rows found finished.
    const replay = await run(sendPending, enqueued(e), memoizedClaim);
    expect(replay.summary).toMatchObject({ claimed: 3, sent: 0, failed: 0, skipped: 3 });
    // And the step body itself, called twice for the same claim.
    const transport = smtpTransport(smtp.url, 1);
    try {
      expect(await deliverClaimed({ ids: claimed.ids, token: claimed.token, actor: "again", transport })).toEqual({ sent: 0, failed: 0, skipped: 3, deferred: 0 });
    } finally {
      transport.close();
    }
    expect(receivedBy(e)).toHaveLength(3);
    expect((await rowsOf(e)).every((r) => r.status === "sent")).toBe(true);
  });

  it("a claim step replayed after its claim committed sends the rows it took, rather than leaving them to their lease", async () => {
    const g = await siteWith(3);
    // The run's start, memoized as Inngest hands it back to a replay.
    const [started] = await db.insert(queueRuns).values({ siteId: g, kind: "send", runner: "inngest-send:replayed" }).returning({ id: queueRuns.id });
    const memoizedStart: Steps = [{ id: "record-run-start", handler: () => started.id }];
    // The first attempt of claim-batch-0 took the rows and committed; its result never reached Inngest.
    const token = claimStepToken(started.id, 0);
    const first = await claim({ kind: "send", siteId: g, limit: env.QUEUE_BATCH_SIZE, actor: "inngest-send:replayed", token });
    expect(first.ids).toHaveLength(3);

    const replay = await run(sendPending, enqueued(g), memoizedStart);
    expect(replay.summary).toMatchObject({ claimed: 3, sent: 3 });
    expect((await rowsOf(g)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    expect(receivedBy(g)).toHaveLength(3);
  });

  it("a claim step that failed after taking its rows counts them in the run's record once, when its replay returns them", async () => {
    const h = await siteWith(3);
    const [started] = await db.insert(queueRuns).values({ siteId: h, kind: "send", runner: "inngest-send:counted" }).returning({ id: queueRuns.id });
    const memoizedStart: Steps = [{ id: "record-run-start", handler: () => started.id }];
    // The first attempt of claim-batch-0 fails when it writes the run's claimed count (a dropped
    // connection, a failover): whatever it committed before that, a replay must count.
    await db.execute(sql.raw(`create function fail_claimed_count() returns trigger language plpgsql as $$
      begin raise exception 'connection lost while counting the claim'; end $$`));
    await db.execute(sql.raw(`create trigger fail_claimed_count before update on queue_runs for each row
      when (new.id = ${started.id} and new.claimed <> old.claimed) execute function fail_claimed_count()`));
    try {
      const first = await run(sendPending, enqueued(h), memoizedStart);
      expect(first.error).toBeDefined();
    } finally {
      await db.execute(sql`drop trigger fail_claimed_count on queue_runs`);
      await db.execute(sql`drop function fail_claimed_count()`);
    }

    const replay = await run(sendPending, enqueued(h), memoizedStart);
    expect(replay.summary).toMatchObject({ claimed: 3, sent: 3 });
    expect(receivedBy(h)).toHaveLength(3);
    const [runRow] = await db.select().from(queueRuns).where(eq(queueRuns.id, started.id));
    expect(runRow).toMatchObject({ claimed: 3, sent: 3 });
  });

  it("fans out to a new run when the batch limit is reached with rows left", async () => {
    const f = await siteWith(MAX_BATCHES + 2);
    await withBatchSize(1, async () => {
      // step.sendEvent would reach Inngest's event API; its step result is provided instead.
      const noSend: Steps = [{ id: "continue-sending", handler: () => ({ ids: ["01TESTEVENT"] }) }];
      const first = await run(sendPending, enqueued(f), noSend);
      expect(first.error).toBeUndefined();
      expect(first.summary).toMatchObject({ batches: MAX_BATCHES, sent: MAX_BATCHES, continued: true });
      expect(first.ctx.step.sendEvent).toHaveBeenCalledWith("continue-sending", { name: "queue/enqueued", data: { siteId: f } });
      expect((await rowsOf(f)).filter((r) => r.status === "pending")).toHaveLength(2);

      // The run that event starts takes the rest and stops there.
      const next = await run(sendPending, enqueued(f), noSend);
      expect(next.summary).toMatchObject({ sent: 2, continued: false });
      expect(next.ctx.step.sendEvent).not.toHaveBeenCalled();
    });
    expect(receivedBy(f)).toHaveLength(MAX_BATCHES + 2);
    expect(new Set(receivedBy(f)).size).toBe(MAX_BATCHES + 2);
  });

  it("rejects a malformed event without touching the queue", async () => {
    const g = await siteWith(1);
    const { error, summary } = await run(sendPending, { name: "queue/enqueued", data: { siteId: "all" } });
    expect(summary).toBeUndefined();
    expect(error).toMatchObject({ name: "EventValidationError" });
    expect((await rowsOf(g))[0].status).toBe("pending");
  });
});

describe("queue-retry-errors", () => {
  it("resends retryable errors once their backoff is due, never permanent ones", async () => {
    const site = await makeSite();
    const to = (local: string) => `${local}.${site.id}@example.org`;
    await enqueue({ siteId: site.id, message, recipients: [{ address: to("flaky") }, { address: to("reject") }, { address: to("fine") }] });
    const other = await siteWith(1, "flaky");

    const sent = await run(sendPending, enqueued(site.id));
    expect(sent.summary).toMatchObject({ sent: 1, failed: 2 });
    const state = async () => Object.fromEntries((await db.select().from(queue).where(eq(queue.siteId, site.id))).map((r) => [r.recipient.split(".")[0], r]));
    let rows = await state();
    expect(rows.flaky).toMatchObject({ status: "error", retryable: true });
    expect(rows.reject).toMatchObject({ status: "error", retryable: false });

    // Backoff not over yet: nothing is taken.
    const early = await run(retryErrors, retryRequested(site.id));
    expect(early.summary).toMatchObject({ kind: "retry", claimed: 0, sent: 0 });

    // Time passes (for both errors, and for the other site's row, which is still pending).
    await db.update(queue).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(and(eq(queue.siteId, site.id), eq(queue.status, "error")));
    const due = await run(retryErrors, retryRequested(site.id));
    expect(due.summary).toMatchObject({ kind: "retry", siteId: site.id, claimed: 1, sent: 1, failed: 0 });
    rows = await state();
    expect(rows.flaky).toMatchObject({ status: "sent", attempts: 2 });
    expect(rows.reject).toMatchObject({ status: "error", attempts: 1 });
    expect(rows.fine.status).toBe("sent");
    expect(receivedBy(site.id).sort()).toEqual([to("fine"), to("flaky")]);
    expect((await rowsOf(other))[0].status).toBe("pending");

    // The cron run finds nothing else due.
    const tick = await run(retryErrors, cronTick("*/5 * * * *"));
    expect(tick.summary).toMatchObject({ siteId: null, claimed: 0 });
  });
});

describe("SMS through the Inngest functions", () => {
  it("the send function sends a site's SMS through its SMSC; receipts turn them delivered", async () => {
    const smsc = await startSmsc({ receipts: "auto" });
    try {
      const site = await makeSite({ smsUrl: smsc.url({ source: "Org" }) });
      await enqueue({
        siteId: site.id,
        channel: "sms",
        message: { kind: "sms", subject: "", text: "Hello {{name}}", fromName: "", fromAddress: "" },
        recipients: [{ address: "+33612340101", name: "Ann" }, { address: "06 12 34 01 02", name: "Bob" }],
      });
      const sent = await run(sendPending, enqueued(site.id));
      expect(sent.summary).toMatchObject({ sent: 2, failed: 0 });
      expect(smsc.submits.map((s) => [s.destination, s.text]).sort()).toEqual([["33612340101", "Hello Ann"], ["33612340102", "Hello Bob"]]);
      await vi.waitFor(async () => expect((await rowsOf(site.id)).map((r) => r.status)).toEqual(["delivered", "delivered"]));
    } finally {
      await closeSmsTransports();
      await smsc.close();
    }
  });

  it("a send pass that sent something applies receipts left waiting", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "Earlier", fromName: "", fromAddress: "" }, recipients: [{ address: "+33612340104" }] });
    const [earlier] = await rowsOf(site.id);
    expect(await recordReceipt({ channel: "sms", providerMessageId: "late-commit-2", delivered: true, actor: "smpp" })).toBe("early");
    await db.update(queue).set({ status: "sent", sentAt: new Date(), providerMessageId: "late-commit-2" }).where(eq(queue.id, earlier.id));
    // Something else to send (an email, whose outcome applies no SMS receipt by itself).
    await enqueue({ siteId: site.id, message, recipients: [{ address: `later.${site.id}@example.org` }] });

    const sent = await run(sendPending, enqueued(site.id));
    expect(sent.summary).toMatchObject({ sent: 1 });
    expect((await rowsOf(site.id)).find((r) => r.id === earlier.id)?.status).toBe("delivered");
  });

  it("the periodic retry pass applies a receipt still waiting for its row, even with nothing to retry", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, channel: "sms", message: { kind: "sms", subject: "", text: "Hi", fromName: "", fromAddress: "" }, recipients: [{ address: "+33612340103" }] });
    const [row] = await rowsOf(site.id);
    // The receipt came while the row was still being sent (stored, waiting); the outcome was then
    // committed without the runner seeing it.
    expect(await recordReceipt({ channel: "sms", providerMessageId: "late-commit-1", delivered: true, actor: "smpp" })).toBe("early");
    await db.update(queue).set({ status: "sent", sentAt: new Date(), providerMessageId: "late-commit-1" }).where(eq(queue.id, row.id));

    const tick = await run(retryErrors, cronTick("*/5 * * * *"));
    expect(tick.summary).toMatchObject({ claimed: 0 });
    expect((await rowsOf(site.id))[0].status).toBe("delivered");
  });
});

describe("app/api/inngest route", () => {
  it("answers introspection and syncs both functions in dev mode", async () => {
    // INNGEST_DEV is read when lib/env and the client load: load them again with it set.
    vi.stubEnv("INNGEST_DEV", "1");
    vi.resetModules();
    const registrations: { url: string; body: { url: string; appName: string; functions: { id: string; triggers: unknown[]; concurrency?: unknown; steps: Record<string, { retries?: { attempts: number } }> }[] } }[] = [];
    // The Dev Server cannot run here; this is the request it would receive.
    vi.stubGlobal("fetch", async (url: string | URL, init?: RequestInit) => {
      registrations.push({ url: String(url), body: JSON.parse(String(init?.body)) });
      return new Response(JSON.stringify({ ok: true, modified: true }), { status: 200, headers: { "content-type": "application/json" } });
    });
    try {
      const { GET, PUT } = await import("@/app/api/inngest/route");
      const req = (method: string) => new Request("http://localhost:3000/api/inngest", { method }) as unknown as NextRequest;

      const res = await GET(req("GET"), undefined);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ function_count: 3, mode: "dev", has_event_key: false, has_signing_key: false, schema_version: "2024-05-24" });

      const sync = await PUT(req("PUT"), undefined);
      expect(sync.status).toBe(200);
      expect(registrations).toHaveLength(1);
      const [{ url, body }] = registrations;
      expect(url).toMatch(/\/fn\/register$/);
      expect(body.url).toBe("http://localhost:3000/api/inngest");
      expect(body.appName).toBe("chora");
      const byId = Object.fromEntries(body.functions.map((f) => [f.id, f]));
      expect(Object.keys(byId).sort()).toEqual(["chora-newsletter-queue-due-sends", "chora-queue-retry-errors", "chora-queue-send-pending"]);
      expect(byId["chora-newsletter-queue-due-sends"].triggers).toEqual([{ cron: "* * * * *" }]);
      expect(byId["chora-queue-send-pending"].triggers).toEqual([{ cron: "*/2 * * * *" }, { event: "queue/enqueued" }]);
      expect(byId["chora-queue-retry-errors"].triggers).toEqual([{ cron: "*/5 * * * *" }, { event: "queue/retry-requested" }]);
      for (const f of body.functions.filter((fn) => fn.id.startsWith("chora-queue-"))) {
        expect(f.concurrency).toEqual({ limit: 1, key: `has(event.data.siteId) ? string(event.data.siteId) : "all"` });
        expect(Object.values(f.steps)[0].retries).toEqual({ attempts: 3 });
      }
    } finally {
      vi.unstubAllGlobals();
      vi.unstubAllEnvs();
    }
  });

  const post = (query: string, body: string) => new Request(`http://localhost:3000/api/inngest?${query}`, { method: "POST", body, headers: { "content-type": "application/json" } }) as unknown as NextRequest;

  it("answers 404 JSON when Inngest is not configured (the embedded scheduler runs the queue)", async () => {
    vi.resetModules();
    const { GET, POST, PUT } = await import("@/app/api/inngest/route");
    for (const [handler, method] of [[GET, "GET"], [PUT, "PUT"]] as const) {
      const res = await handler(new Request("http://localhost:3000/api/inngest", { method }) as unknown as NextRequest, undefined);
      expect(res.status, method).toBe(404);
      expect(await res.json()).toEqual({ error: "Inngest is not configured" });
    }
    expect((await POST(post("fnId=chora-queue-send-pending&stepId=step", "{}"), undefined)).status).toBe(404);
  });

  it("refuses a body that is not JSON and an unknown function, without a stack, in dev mode", async () => {
    vi.stubEnv("INNGEST_DEV", "1");
    vi.resetModules();
    try {
      const { POST } = await import("@/app/api/inngest/route");
      const garbage = await POST(post("fnId=chora-queue-send-pending&stepId=step", "zzz{"), undefined);
      expect(garbage.status).toBe(400);
      expect(await garbage.json()).toEqual({ error: "The request body is not JSON" });
      for (const body of ["{}", "[]", "null", '{"event":[]}']) {
        const notRun = await POST(post("fnId=chora-queue-send-pending&stepId=step", body), undefined);
        expect(notRun.status, body).toBe(400);
        expect(await notRun.text()).not.toContain("stack");
      }
      for (const query of ["fnId=zzz&stepId=step", "stepId=step", "fnId=queue-send-pending&stepId=step"]) {
        const unknown = await POST(post(query, "{}"), undefined);
        expect(unknown.status, query).toBe(404);
        const text = await unknown.text();
        expect(text).not.toMatch(/\bat\s|\.js:\d+|Error:/);
        expect(JSON.parse(text)).toEqual({ error: "Unknown function" });
      }
      // What the SDK answers when a run fails: Inngest gets the error's name and message only.
      const { withoutStack } = await import("@/inngest/serve");
      const failed = await withoutStack(Response.json({ name: "Error", message: "boom", stack: "Error: boom\n    at x (file.js:1:1)", __serialized: true }, { status: 500 }));
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ name: "Error", message: "boom", __serialized: true });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

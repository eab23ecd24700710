import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";
import { makeSite } from "../helpers/factories";
import { loadQueue, message } from "./load-queue";
import { spawnTsx, testDatabaseUrl } from "./spawn";

const q = await loadQueue({ QUEUE_BACKOFF_SECONDS: "0", SMTP_POOL_SIZE: "5", QUEUE_BATCH_SIZE: "100" });

let smtp: SmtpHarness;
beforeAll(async () => {
  smtp = await startSmtpServer({ keepRaw: false });
});
afterAll(() => smtp.close());
beforeEach(() => smtp.reset());

const recipients = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ address: `${tag}${i}@example.org`, name: `R ${i}` }));

/** Four runners at once, each with its own pool, over the same rows. */
async function drainWithFourRunners(siteId: number, total: number) {
  const transports = Array.from({ length: 4 }, () => q.smtpTransport(smtp.url, 5));
  try {
    const summaries = await Promise.all(transports.map((transport, i) => q.runQueue({ kind: "send", siteId, runner: `runner-${i}`, transport })));
    const counts = smtp.countByMessageId();
    expect(summaries.reduce((n, s) => n + s.claimed, 0)).toBe(total);
    expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(total);
    expect(counts.size).toBe(total);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.received).toHaveLength(total);
    expect(await q.statusCounts(siteId)).toEqual({ sent: total });
    return summaries;
  } finally {
    for (const t of transports) t.close();
  }
}

// Concurrent claimers need real connections: PGlite is a single connection in a single process.
// These tests are registered only when DATABASE_URL is set (a plain `if`, not a skip); without it
// the embedded block below runs instead.
if (process.env.DATABASE_URL) {
  describe("concurrent runners on PostgreSQL", () => {
    it("four runners drain 20,000 rows: every message received exactly once", { timeout: 240_000 }, async () => {
      const site = await makeSite();
      const { queued } = await q.enqueue({ siteId: site.id, message: message(), recipients: recipients(20_000, "c") });
      expect(queued).toBe(20_000);
      const started = Date.now();
      const summaries = await drainWithFourRunners(site.id, 20_000);
      const seconds = (Date.now() - started) / 1000;
      // Work was shared, not taken by one runner while the others found nothing.
      expect(summaries.filter((s) => s.claimed > 0).length).toBeGreaterThan(1);
      console.log(`4 runners, 20,000 rows: ${seconds.toFixed(1)} s (${Math.round(20_000 / seconds)} msg/s); claimed per runner ${summaries.map((s) => s.claimed).join(", ")}`);
    });

    it("a runner killed with SIGKILL mid-batch loses no row; only its in-flight rows may go twice", { timeout: 240_000 }, async () => {
      const BATCH = 200;
      const site = await makeSite();
      await q.enqueue({ siteId: site.id, message: message(), recipients: recipients(3_000, "k") });
      smtp.setDataDelay(4); // a slow server, so the kill lands while a batch is on the wire

      const child = spawnTsx(["tests/queue/fixtures/runner.ts"], {
        DATABASE_URL: await testDatabaseUrl(),
        SMTP_URL: smtp.url,
        QUEUE_LEASE_SECONDS: "10", // lib/env.ts accepts no less than 10
        QUEUE_BATCH_SIZE: String(BATCH),
        SMTP_POOL_SIZE: "5",
        QUEUE_SCHEDULER: "off",
      });
      try {
        await smtp.waitForCount(700, 60_000);
      } catch (error) {
        child.kill("SIGKILL");
        throw new Error(`the runner did not send: ${String(error)}\n${child.output().stderr}`);
      }
      child.kill("SIGKILL");
      const exit = await child.done;
      expect(exit.signal ?? exit.code).toBeTruthy();
      await new Promise((r) => setTimeout(r, 200)); // let the server finish what was on the wire
      smtp.setDataDelay(0);

      const atKill = await q.siteRows(site.id);
      const inFlight = atKill.filter((r) => r.status === "sending");
      const sentBefore = atKill.filter((r) => r.status === "sent").length;
      const receivedBefore = smtp.received.length;
      expect(inFlight.length).toBeGreaterThan(0);
      // The batch being sent plus the one claimed ahead (runQueue prefetches the next claim).
      expect(inFlight.length).toBeLessThanOrEqual(2 * BATCH);
      expect(sentBefore + inFlight.length).toBeLessThan(3_000); // killed before the end

      // Nothing is recovered before the lease runs out…
      expect(await q.recoverExpiredLeases(site.id)).toBe(0);
      const expiry = Math.max(...inFlight.map((r) => r.leaseExpiresAt!.getTime()));
      const [{ now }] = q.rows<{ now: Date }>(await q.db.execute(sql`select now() as now`));
      await new Promise((r) => setTimeout(r, Math.max(0, expiry - new Date(now).getTime()) + 300));
      // …then every row of the killed runner's batch is.
      expect(await q.recoverExpiredLeases(site.id)).toBe(inFlight.length);

      const transport = q.smtpTransport(smtp.url, 5);
      try {
        const summary = await q.runQueue({ kind: "send", siteId: site.id, runner: "after-kill", transport });
        expect(summary.sent).toBe(3_000 - sentBefore);
      } finally {
        transport.close();
      }
      expect(await q.statusCounts(site.id)).toEqual({ sent: 3_000 });

      const counts = smtp.countByMessageId();
      expect(counts.size).toBe(3_000); // no row lost
      const twice = [...counts].filter(([, n]) => n > 1);
      expect(twice.every(([, n]) => n === 2)).toBe(true);
      // Only rows that were in flight under the dead lease went out twice.
      // composeEmail's Message-ID starts with the row's ids (lib/mail/compose.ts emailMessageId).
      const inFlightIds = new Set(inFlight.map((r) => `<q${r.id}.m${r.messageId}.`));
      expect(twice.every(([id]) => inFlightIds.has(id.slice(0, id.indexOf(".", id.indexOf(".m") + 1) + 1)))).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(inFlight.length);
      expect(twice.length).toBeLessThanOrEqual(BATCH); // only the batch on the wire, never the one claimed ahead
      console.log(
        `SIGKILL: ${receivedBefore} received before the kill, ${sentBefore} recorded sent, ${inFlight.length} in flight (batch ${BATCH}), ` +
          `${twice.length} Message-IDs received twice`,
      );
      for (const r of inFlight) expect(await q.history(r.id)).toMatch(/^pending>sending>pending>sending>sent$/);
    });
  });
} else {
  describe("concurrent runners on embedded PGlite", () => {
    it("four runners in one process take turns on the one connection and send each row once", { timeout: 120_000 }, async () => {
      const site = await makeSite();
      await q.enqueue({ siteId: site.id, message: message(), recipients: recipients(2_000, "p") });
      await drainWithFourRunners(site.id, 2_000);
    });
  });
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";
import { makeSite } from "../helpers/factories";
import { loadQueue, message } from "./load-queue";
import { runTsx, testDatabaseUrl } from "./spawn";

// `npm run queue -- send|retry [domain]`, spawned as cron would run it.
const q = await loadQueue({ QUEUE_BACKOFF_SECONDS: "0" });

let smtp: SmtpHarness;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());
beforeEach(() => smtp.reset());

const queueCommand = async (args: string[], env: Record<string, string | undefined> = {}) =>
  runTsx(["scripts/queue.ts", ...args], { SMTP_URL: smtp.url, QUEUE_SCHEDULER: "off", QUEUE_BACKOFF_SECONDS: "0", ...env });

async function siteWith(addresses: string[]) {
  const site = await makeSite();
  await q.enqueue({ siteId: site.id, message: message(), recipients: addresses.map((address) => ({ address })) });
  return site;
}
const received = () => smtp.received.map((m) => m.rcptTo[0]).sort();

// The command and the test share the database, which only PostgreSQL allows: PGlite is one
// process. These tests are registered only when DATABASE_URL is set (a plain `if`, not a skip);
// without it the embedded block below checks what the command does beside an embedded server.
if (process.env.DATABASE_URL) {
  describe("queue command on PostgreSQL", { timeout: 90_000 }, () => {
    let databaseUrl = "";
    beforeAll(async () => {
      databaseUrl = await testDatabaseUrl();
    });
    const run = (...args: string[]) => queueCommand(args, { DATABASE_URL: databaseUrl });

    it("sends one site's rows when given its domain, then every site's without one", async () => {
      const a = await siteWith(["a1@example.org", "a2@example.org"]);
      const b = await siteWith(["b1@example.org"]);
      const c = await siteWith(["c1@example.org"]);

      const one = await run("send", a.domain.toUpperCase());
      expect(one.stderr).toBe("");
      expect(one.code).toBe(0);
      expect(one.stdout.trim()).toBe(`queue send ${a.domain}: 2 taken, 2 sent, 0 failed, 0 recovered from expired leases`);
      expect(received()).toEqual(["a1@example.org", "a2@example.org"]);
      expect(await q.statusCounts(a.id)).toEqual({ sent: 2 });
      expect(await q.statusCounts(b.id)).toEqual({ pending: 1 });
      expect(await q.statusCounts(c.id)).toEqual({ pending: 1 });

      const all = await run("send");
      expect(all.code).toBe(0);
      expect(all.stdout.trim()).toMatch(/^queue send: (\d+) taken, \1 sent, 0 failed, 0 recovered from expired leases$/);
      expect(received()).toEqual(["a1@example.org", "a2@example.org", "b1@example.org", "c1@example.org"]);
      expect(await q.statusCounts(b.id)).toEqual({ sent: 1 });
      expect(await q.statusCounts(c.id)).toEqual({ sent: 1 });
    });

    it("refuses an unknown domain with a clear message and a non-zero exit", async () => {
      const site = await siteWith(["untouched@example.org"]);
      const result = await run("send", "nowhere.example");
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toBe("queue send: no site with domain nowhere.example");
      expect(result.stdout).toBe("");
      expect(await q.statusCounts(site.id)).toEqual({ pending: 1 });
      expect(smtp.received).toHaveLength(0);
    });

    it("exits non-zero with the summary line when a message fails, and the retry command resends it", async () => {
      const site = await siteWith(["ok@example.org", "busy@example.org", "gone@example.org"]);
      smtp.failFirst("busy@example.org", 1, 451);
      smtp.failAlways("gone@example.org", 550);

      const send = await run("send", site.domain);
      expect(send.code).toBe(1);
      expect(send.stdout.trim()).toBe(`queue send ${site.domain}: 3 taken, 1 sent, 2 failed, 0 recovered from expired leases`);
      const rows = await q.siteRows(site.id);
      expect(rows.find((r) => r.recipient === "busy@example.org")).toMatchObject({ status: "error", retryable: true });
      expect(rows.find((r) => r.recipient === "gone@example.org")).toMatchObject({ status: "error", retryable: false });

      const retry = await run("retry", site.domain);
      expect(retry.code).toBe(0);
      expect(retry.stdout.trim()).toBe(`queue retry ${site.domain}: 1 taken, 1 sent, 0 failed, 0 recovered from expired leases`);
      expect(await q.statusCounts(site.id)).toEqual({ sent: 2, error: 1 });
      expect(received()).toEqual(["busy@example.org", "ok@example.org"]);
    });

    it("prints its usage and exits 2 on bad arguments", async () => {
      for (const args of [[], ["resend"], ["send", "a.example", "extra"]]) {
        const result = await run(...args);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("usage: npm run queue -- send [domain]");
      }
    });
  });
} else {
  describe("queue command beside the embedded database", { timeout: 90_000 }, () => {
    it("refuses to run while a server owns the embedded database, and says what to do", async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), "chora-embedded-"));
      try {
        // This test process plays the running server.
        await writeFile(path.join(dataDir, "server.pid"), String(process.pid));
        const result = await queueCommand(["send"], { DATABASE_URL: undefined, DATA_DIR: dataDir, PGLITE_DIR: path.join(dataDir, "pglite") });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`the chora server (pid ${process.pid}) owns the embedded database in ${dataDir}`);
        expect(result.stderr).toContain("set DATABASE_URL to run commands beside the server");
        expect(smtp.received).toHaveLength(0);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it("refuses an unknown domain with a clear message and a non-zero exit", async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), "chora-embedded-"));
      try {
        // An empty embedded database: the command finds no site before it touches any row.
        const { openDatabase } = await import("@/db/client");
        const { runMigrations } = await import("@/db/migrate");
        const handle = openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
        await runMigrations(handle.db, handle.driver);
        await handle.close();
        const result = await queueCommand(["send", "nowhere.example"], { DATABASE_URL: undefined, DATA_DIR: dataDir });
        expect(result.code).not.toBe(0);
        expect(result.stderr.trim()).toBe("queue send: no site with domain nowhere.example");
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}

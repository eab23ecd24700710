// Shared by the bench/queue-*.ts benchmarks: a throwaway PostgreSQL database, an SMTP sink in a
// process of its own, and small statistics helpers. Not a benchmark itself.
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";

/**
 * Creates `chora_bench_<hex>` on DATABASE_URL's server and points this process at it (before
 * lib/env.ts is imported, so the app's `db` opens it). Returns a function that drops it.
 */
export async function throwawayDatabase(settings: Record<string, string> = {}) {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.error("Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): a throwaway database is created there and dropped.");
    process.exit(2);
  }
  const name = `chora_bench_${randomBytes(5).toString("hex")}`;
  measuredDatabase = name;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "chora-bench-queue-"));
  Object.assign(process.env, { DATABASE_URL: url.toString(), DATA_DIR: dataDir, QUEUE_SCHEDULER: "off" }, settings);

  const { db, closeDb } = await import("@/db/client");
  const { runMigrations } = await import("@/db/migrate");
  await runMigrations(db, "postgres");
  return {
    name,
    url: url.toString(),
    /** Closes the connections and leaves the database in place (to EXPLAIN by hand). */
    keep: async () => {
      await closeDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
    drop: async () => {
      await closeDb();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type SinkStats = { received: number; distinct: number };
export type Sink = { url: string; pid: number; stats(): Promise<SinkStats>; reset(): Promise<void>; close(): Promise<void> };

/** The SMTP sink (bench/queue-sink.ts) in a child process, so it does not share our event loop. */
export async function startSink(): Promise<Sink> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, "queue-sink.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = <T>(message: string) =>
    new Promise<T>((resolve) => {
      child.once("message", (reply) => resolve(reply as T));
      child.send(message);
    });
  const { port } = await new Promise<{ port: number }>((resolve) => child.once("message", (m) => resolve(m as { port: number })));
  return {
    url: `smtp://127.0.0.1:${port}`,
    pid: child.pid!,
    stats: () => ask<SinkStats>("stats"),
    reset: async () => void (await ask("reset")),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send("close");
      }),
  };
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

/**
 * `warmup` untimed calls of `fn`, then `runs` timed ones: their summary, and the number the last
 * call returned (rows found, to show the scenario matched what it should).
 */
export async function timeRuns(fn: () => Promise<number>, warmup: number, runs: number) {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    rows = await fn();
    times.push(performance.now() - t);
  }
  return { ...summarize(times), rows };
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 where unreadable. */
function processCpu(pid: number | string): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** The throwaway database of this run (throwawayDatabase), whose server processes postgresCpu counts. */
let measuredDatabase: string | null = null;

/**
 * The PostgreSQL server's CPU on this machine (the benchmark's database is local): the server's
 * own processes (WAL writer, checkpointer…) and the backends of this run's database, not those of
 * other databases (tests running beside the benchmark would otherwise be counted as its work).
 */
function postgresCpu(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") continue;
      // A backend's title names its user, database and client ("postgres: [<cluster>: ]<user>
      // <database> 127.0.0.1(port) …"), an autovacuum worker its database; the server's own
      // processes (walwriter, checkpointer…) name none.
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      const ofADatabase = /^postgres: (\S+: )?\S+ \S+ (\d|\[local\])|autovacuum worker/.test(title);
      if (!ofADatabase || measuredDatabase === null || title.includes(` ${measuredDatabase} `)) total += processCpu(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

export type CpuSplit = { self: number; sink: number; postgres: number };

/**
 * Where the CPU of a measured run went: this process (all its threads), the SMTP sink, and
 * PostgreSQL. Call it before the run; the function it returns gives CPU seconds since.
 */
export function cpuMeter(sinkPid: number): () => CpuSplit {
  const start = { self: process.cpuUsage(), sink: processCpu(sinkPid), postgres: postgresCpu() };
  return () => {
    const self = process.cpuUsage(start.self);
    return { self: (self.user + self.system) / 1e6, sink: processCpu(sinkPid) - start.sink, postgres: postgresCpu() - start.postgres };
  };
}

// npm run bench:startup — "`npm start` on a fresh clone (after `npm install`) serves its first page".
//
// Clones the committed HEAD into a temporary folder, runs `npm ci` there (timed, but not part of the
// figure), then `npm start` with a free PORT, a fresh DATA_DIR and no DATABASE_URL (embedded PGlite),
// and polls http://localhost:PORT/ (following redirects) until it answers 200. Then stops it and
// starts again (already built, already migrated) for the second figure. Prints figures from one
// run; it never fails on timing. Set BENCH_KEEP=1 to keep the temporary folder.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const TARGET_S = 60;
const TIMEOUT_MS = 15 * 60_000;
const POLL_MS = 250;

const root = spawnSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).stdout.trim() || process.cwd();
const head = spawnSync("git", ["-C", root, "log", "-1", "--format=%h %s"], { encoding: "utf8" }).stdout.trim();
const dirty = spawnSync("git", ["-C", root, "status", "--porcelain"], { encoding: "utf8" }).stdout.trim();
const tmp = mkdtempSync(path.join(os.tmpdir(), "chora-bench-startup-"));
const clone = path.join(tmp, "chora");
const dataDir = path.join(tmp, "data");

console.log(`chora bench: npm start on a fresh clone — ${os.cpus().length} cores, node ${process.version}, load average ${loadavg()}`);
console.log(`cloning HEAD (${head}) of ${root}${dirty ? " — uncommitted changes there are not part of the clone" : ""}`);

let child: ChildProcess | null = null;
let exitCode = 0;
const cleanup = () => {
  if (child) stopGroup(child);
  if (!process.env.BENCH_KEEP) rmSync(tmp, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

try {
  const git = spawnSync("git", ["clone", "--quiet", root, clone], { stdio: "inherit" });
  if (git.status !== 0) throw new Error("git clone failed");

  const tCi = performance.now();
  const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: clone, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const ciMs = performance.now() - tCi;
  if (ci.status !== 0) throw new Error(`npm ci failed:\n${ci.stdout}\n${ci.stderr}`);
  console.log(`npm ci: ${sec(ciMs)} s (not part of the figure; the npm cache on this machine is warm)\n`);

  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", NO_COLOR: "1" };
  for (const key of ["DATABASE_URL", "PGLITE_DIR", "NODE_ENV", "AUTH_SECRET", "AUTH_URL"]) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key]; // not inherited from `npm run bench:startup`

  console.log(`first start: npm start (PORT=${port}, DATA_DIR fresh, no DATABASE_URL)…`);
  const first = await startAndWait(clone, env, port);
  child = null;
  const f = first.marks;
  const rowsFirst: [string, number | undefined, number | undefined][] = [
    ["npm + tsx + env, until the build starts", 0, f.buildStart],
    ["next build", f.buildStart, f.buildEnd],
    ["migrate + first run (PGlite)", f.buildEnd, f.serving],
    ["next start until ready", f.serving, f.ready],
    ["first request until 200", f.ready, first.firstPage],
  ];
  printPhases("first start (fresh clone, nothing built, empty DATA_DIR)", rowsFirst, first);
  console.log(`  time to first page: ${sec(first.firstPage)} s = ${(first.firstPage / 1000 / TARGET_S).toFixed(2)} × the ${TARGET_S} s target`);
  console.log(`  including npm ci: ${sec(first.firstPage + ciMs)} s`);

  console.log(`\nsecond start: npm start again (built, migrated)…`);
  const second = await startAndWait(clone, env, port);
  child = null;
  const s = second.marks;
  printPhases(
    "second start",
    [
      ["npm + tsx + env + migrate check (PGlite)", 0, s.serving],
      ["next start until ready", s.serving, s.ready],
      ["first request until 200", s.ready, second.firstPage],
    ],
    second,
  );
  console.log(`  time to first page: ${sec(second.firstPage)} s; first/second: ${(first.firstPage / second.firstPage).toFixed(1)}`);
  if (!f.buildStart) console.log("\nnote: no build line seen on the first start: was .next/ committed?");
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  cleanup();
}
process.exit(exitCode);

// ---------------------------------------------------------------------------------------------

type Marks = { buildStart?: number; buildEnd?: number; serving?: number; ready?: number; firstRun?: number };
type Run = { marks: Marks; firstPage: number; requestMs: number; nextRequestMs: number; finalUrl: string; polls: number; log: string[]; load: string };

/** Spawns `npm start` in its own process group, timestamps its output, polls until a 200, then stops the group. */
async function startAndWait(cwd: string, env: NodeJS.ProcessEnv, port: number): Promise<Run> {
  const t0 = performance.now();
  const marks: Marks = {};
  const log: string[] = [];
  let lastLineAt = 0;
  let exited: string | null = null;
  const proc = spawn("npm", ["start"], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  proc.on("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
  const onLine = (line: string) => {
    const at = performance.now() - t0;
    log.push(`${sec(at).padStart(7)} s  ${line}`);
    if (marks.buildStart === undefined && line.includes("chora: building the app")) marks.buildStart = at;
    if (marks.buildStart !== undefined && marks.buildEnd === undefined && /chora: (first superuser created|serving on)/.test(line)) {
      marks.buildEnd = lastLineAt; // the last line `next build` printed
    }
    if (line.includes("chora: first superuser created")) marks.firstRun = at;
    if (marks.serving === undefined && line.includes("chora: serving on")) marks.serving = at;
    if (marks.ready === undefined && /\bReady in\b/.test(line)) marks.ready = at;
    if (line.trim()) lastLineAt = at;
  };
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) onLine(line);
    });
  }

  const url = `http://localhost:${port}/`;
  let polls = 0;
  try {
    for (;;) {
      if (exited) throw new Error(`npm start ${exited} before serving a page:\n${log.join("\n")}`);
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`no 200 from ${url} after ${TIMEOUT_MS / 1000} s:\n${log.join("\n")}`);
      polls++;
      const tReq = performance.now();
      try {
        const response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(120_000) });
        await response.arrayBuffer();
        if (response.status === 200) {
          const done = performance.now();
          // The same page again: what the first request paid once (opening PGlite, loading code).
          const tNext = performance.now();
          await (await fetch(url, { redirect: "follow" })).arrayBuffer();
          const nextRequestMs = performance.now() - tNext;
          return { marks, firstPage: done - t0, requestMs: done - tReq, nextRequestMs, finalUrl: response.url, polls, log, load: loadavg() };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await stopGroup(proc);
  }
}

function printPhases(title: string, phases: [string, number | undefined, number | undefined][], run: Run) {
  console.log(`\n${title} — seconds since spawn of npm start:`);
  const width = Math.max(...phases.map(([label]) => label.length));
  for (const [label, from, to] of phases) {
    const span = from !== undefined && to !== undefined ? `${sec(to - from).padStart(7)} s` : "      ? s";
    console.log(`  ${label.padEnd(width)}  ${span}   (until ${to === undefined ? "?" : sec(to)} s)`);
  }
  console.log(`  first 200 from ${run.finalUrl} after ${run.polls} polls; that request took ${sec(run.requestMs)} s, the next one ${(run.nextRequestMs).toFixed(0)} ms`);
  console.log(`  load average at the first 200: ${run.load}`);
  console.log("  output of npm start:");
  for (const line of run.log) if (line.trim().length > 10) console.log(`    ${line}`);
}

/** SIGTERM to the whole process group (npm, tsx, next), SIGKILL if it lingers. */
async function stopGroup(proc: ChildProcess) {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return killGroup(proc, "SIGKILL");
  const gone = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  killGroup(proc, "SIGTERM");
  const timer = new Promise<void>((resolve) => setTimeout(resolve, 5_000));
  await Promise.race([gone, timer]);
  killGroup(proc, "SIGKILL"); // whatever is left of the group (next's workers)
  await Promise.race([gone, timer]);
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (proc.pid) process.kill(-proc.pid, signal);
  } catch {
    // group already gone
  }
}

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sec(ms: number) {
  return (ms / 1000).toFixed(1);
}

function loadavg() {
  return os.loadavg().map((l) => l.toFixed(2)).join(" ");
}

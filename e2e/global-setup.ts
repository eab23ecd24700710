import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";

/**
 * Starts chora exactly as the README says a newcomer does: `npm start`, with a fresh DATA_DIR
 * (embedded PGlite database) and no DATABASE_URL / ADMIN_PASSWORD, so the first-run code
 * creates the default site and the first superuser and prints a generated password once.
 * The printed email and password are read from the child's stdout and handed to the tests
 * through process.env (the test workers inherit the runner's environment) and a JSON file.
 *
 * `npm start` builds by itself when .next/BUILD_ID is missing; after changing app code
 * locally, run `npx next build` first (a stale .next would be served as is).
 */
const READY_TIMEOUT_MS = 5 * 60_000; // a first start may include `next build`

/** Variables that would change which database or which first password the app uses. */
const REMOVED_FROM_APP_ENV = ["DATABASE_URL", "ADMIN_PASSWORD", "ADMIN_EMAIL", "PGLITE_DIR", "NODE_ENV", "AUTH_URL"];

export default async function globalSetup(config: FullConfig) {
  const configured = new URL(config.projects[0]?.use.baseURL ?? "http://localhost:3210");
  let port = Number(configured.port || 80);
  if (!(await portIsFree(port))) {
    const taken = port;
    port = await freePort();
    console.log(`[e2e] port ${taken} is taken; using ${port}`);
  }
  const baseURL = `http://localhost:${port}`;

  const dir = mkdtempSync(path.join(tmpdir(), "chora-e2e-"));
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "app.log");
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port) };
  for (const name of REMOVED_FROM_APP_ENV) delete env[name];
  // Mail leaves only when a test presses "Send pending messages", so counts move because of it.
  env.QUEUE_SCHEDULER = "off";

  const appDir = config.configFile ? path.dirname(config.configFile) : process.cwd();
  const started = performance.now();
  // detached: the child leads its own process group (npm → tsx → next start), so the
  // teardown can stop all of it with one signal to the group.
  const child = spawn("npm", ["start"], { cwd: appDir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const pid = child.pid;
  if (!pid) throw new Error("[e2e] could not spawn `npm start`");
  const killGroup = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  // Safety net if the runner dies without running the teardown (Ctrl-C, crash).
  process.on("exit", killGroup);

  let stdout = "";
  let exited: number | null | undefined;
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    appendFileSync(logFile, chunk);
  });
  child.stderr.on("data", (chunk: string) => {
    appendFileSync(logFile, chunk);
    // Server-side errors (e.g. "[action] unexpected error") belong in the test output.
    // Stack frames stay in the log file (test-results/e2e-app.log after the run).
    for (const line of chunk.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
      if (line.trim() && !/^\s+at /.test(line)) process.stderr.write(`[app] ${line}\n`);
    }
  });
  child.on("exit", (code) => {
    exited = code;
  });

  const fail = (message: string): never => {
    killGroup();
    throw new Error(`[e2e] ${message}\n--- app output (${logFile}) ---\n${stdout.slice(-4000)}`);
  };

  // Wait until a page answers (any status below 500; /fr renders the public home page).
  let answered = false;
  while (!answered) {
    if (exited !== undefined) fail(`\`npm start\` exited with code ${exited} before serving a page`);
    if (performance.now() - started > READY_TIMEOUT_MS) fail(`no page served within ${READY_TIMEOUT_MS / 1000}s`);
    try {
      const response = await fetch(`${baseURL}/fr`, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
      answered = response.status < 500;
    } catch {
      /* not listening yet */
    }
    if (!answered) await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  const built = stdout.includes("building the app");
  console.log(`[e2e] spawn → first served page: ${seconds.toFixed(1)} s${built ? " (including `next build`)" : ""} (information only)`);

  const email = /^\s*email:\s+(\S+@\S+)\s*$/m.exec(stdout)?.[1];
  const password = /^\s*password:\s+(\S+)\s+\(shown once/m.exec(stdout)?.[1];
  if (!email || !password) fail("the first superuser's email and generated password were not printed");

  const credentials = { baseURL, email: email!, password: password!, dataDir, startupSeconds: seconds };
  writeFileSync(path.join(dir, "credentials.json"), JSON.stringify(credentials, null, 2), { mode: 0o600 });
  Object.assign(process.env, {
    E2E_BASE_URL: baseURL,
    E2E_ADMIN_EMAIL: credentials.email,
    E2E_ADMIN_PASSWORD: credentials.password,
    E2E_APP_PID: String(pid),
    E2E_TMP_DIR: dir,
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

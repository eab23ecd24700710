import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";

/** Stops the whole `npm start` process group, keeps the app log, removes the temporary DATA_DIR. */
export default async function globalTeardown(config: FullConfig) {
  const pid = Number(process.env.E2E_APP_PID);
  if (pid > 0) {
    signalGroup(pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) signalGroup(pid, "SIGKILL");
  }

  const dir = process.env.E2E_TMP_DIR;
  if (dir && existsSync(dir)) {
    const log = path.join(dir, "app.log");
    if (existsSync(log)) {
      const root = config.configFile ? path.dirname(config.configFile) : process.cwd();
      const kept = path.join(root, "test-results", "e2e-app.log");
      mkdirSync(path.dirname(kept), { recursive: true });
      copyFileSync(log, kept);
      console.log(`[e2e] app output kept in ${path.relative(process.cwd(), kept)}`);
    }
    if (process.env.E2E_KEEP_DATA) console.log(`[e2e] data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

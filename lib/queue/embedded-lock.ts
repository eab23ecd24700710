import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * PGlite allows one process per data folder. The server records its pid here while it runs, so
 * a command started beside it says so plainly instead of corrupting the database.
 */
const lockFile = () => path.join(env.dataDir, "server.pid");

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function holdEmbeddedDatabase() {
  if (!env.embedded) return;
  writeFileSync(lockFile(), String(process.pid));
  process.once("exit", () => rmSync(lockFile(), { force: true }));
}

export function assertEmbeddedDatabaseFree() {
  if (!env.embedded || !existsSync(lockFile())) return;
  const pid = Number(readFileSync(lockFile(), "utf8"));
  if (pid && pid !== process.pid && alive(pid)) {
    throw new Error(
      `the chora server (pid ${pid}) owns the embedded database in ${env.dataDir} and its scheduler sends the queue; ` +
        "use the queue screen's buttons, or set DATABASE_URL to run commands beside the server",
    );
  }
}

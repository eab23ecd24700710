import { spawn, type ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";

/** The URL of this file's own database (tests/helpers/db.ts creates it), for child processes. */
export async function testDatabaseUrl() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("testDatabaseUrl needs DATABASE_URL");
  const [{ name }] = rows<{ name: string }>(await db.execute(sql`select current_database() as name`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export type Finished = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
export type Spawned = { child: ChildProcess; output: () => { stdout: string; stderr: string }; done: Promise<Finished>; kill: (signal: NodeJS.Signals) => void };

/**
 * `npx tsx <args>` from the project root with `env` on top of this process's environment
 * (`undefined` removes a variable). It runs in a process group of its own: npx and tsx each
 * start a child, and `kill` must reach the node process that does the work.
 */
export function spawnTsx(args: string[], env: Record<string, string | undefined>): Spawned {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const child = spawn("npx", ["tsx", ...args], { cwd: process.cwd(), env: merged, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Finished>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    done,
    kill: (signal) => process.kill(-child.pid!, signal),
  };
}

export const runTsx = (args: string[], env: Record<string, string | undefined>) => spawnTsx(args, env).done;

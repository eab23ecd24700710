// npm start: build if needed, then serve. The server migrates the database and creates the
// first superuser itself when it starts (instrumentation.ts).
import { existsSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
const { env } = await import("@/lib/env"); // validates; refuses production without AUTH_SECRET

const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
if (!existsSync(path.join(".next", "BUILD_ID"))) {
  console.log("chora: building the app (first start only)…");
  // Types are checked by `npm run typecheck` and CI; skipping it here saves a newcomer ~20 s.
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: { ...process.env, CHORA_SKIP_TYPECHECK: "1" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [nextBin, "start", "-p", String(env.PORT)], { stdio: "inherit" });
console.log(`chora: starting on http://localhost:${env.PORT}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

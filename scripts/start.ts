// npm start: build if needed, migrate, create the first superuser, then serve.
import { existsSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
const { env } = await import("@/lib/env"); // validates; refuses production without AUTH_SECRET
const { prepareDatabase } = await import("@/lib/setup/prepare");

const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
if (!existsSync(path.join(".next", "BUILD_ID"))) {
  console.log("chora: building the app (first start only)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const baseUrl = `http://localhost:${env.PORT}`;
await prepareDatabase(baseUrl);

const server = spawn(process.execPath, [nextBin, "start", "-p", String(env.PORT)], { stdio: "inherit" });
console.log(`chora: serving on ${baseUrl}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

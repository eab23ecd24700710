import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Guards Next's server/client split; meaningless in Node tests.
      "server-only": path.resolve(import.meta.dirname, "tests/helpers/empty.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/helpers/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // next-auth imports "next/server" without an extension, which Node's ESM resolution refuses;
    // inlined, it goes through Vite's (tests/session-endpoint.test.ts calls its handlers).
    server: { deps: { inline: ["next-auth"] } },
    pool: "forks",
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine. The
    // files mostly wait (on their own database, SMTP/SMPP peers, backoff timers), so three at
    // once keep both cores busy: 551 s → 253 s for the whole suite on PostgreSQL here.
    // At most eight: each file holds connections to its own PostgreSQL database.
    maxWorkers: Math.min(8, Math.max(3, availableParallelism())),
    env: { NODE_ENV: "test", DATA_DIR: ".data/test", LOGIN_MAX_FAILURES: "5", LOGIN_MAX_FAILURES_PER_IP: "20", QUEUE_SCHEDULER: "off" },
  },
});

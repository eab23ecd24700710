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
    pool: "forks",
    env: { NODE_ENV: "test", DATA_DIR: ".data/test", LOGIN_MAX_FAILURES: "5", LOGIN_MAX_FAILURES_PER_IP: "20", QUEUE_SCHEDULER: "off" },
  },
});

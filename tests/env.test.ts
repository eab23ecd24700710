import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { setVariables } from "@/lib/env";

describe("the environment", () => {
  it("takes a variable set to nothing as unset", () => {
    expect(setVariables({ AUTH_URL: "", SMTP_URL: "  ", PORT: "3000", DATA_DIR: undefined })).toEqual({ PORT: "3000" });
  });

  it("in production, refuses a DATABASE_URL, SMTP_URL or SMS_URL set to nothing: they would quietly move data elsewhere", () => {
    const probe = `import("./lib/env.ts").then(() => console.log("started"))`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: "", SMTP_URL: " ", AUTH_URL: "", DATA_DIR: ".data/test-env" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stdout).not.toContain("started");
    expect(run.stderr).toContain("DATABASE_URL: set to nothing");
    expect(run.stderr).toContain("SMTP_URL: set to nothing");
    expect(run.stderr).not.toContain("AUTH_URL");
  });

  it("starts with AUTH_URL=, SMTP_URL=, DATABASE_URL= and PORT= set to nothing, on their defaults", () => {
    const probe = `import("./lib/env.ts").then(({ env }) => console.log(JSON.stringify([env.AUTH_URL ?? null, env.SMTP_URL ?? null, env.embedded, env.PORT])))`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], {
      cwd: process.cwd(),
      env: { ...process.env, AUTH_URL: "", SMTP_URL: "", DATABASE_URL: "", PORT: "", DATA_DIR: ".data/test-env" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).not.toMatch(/Invalid environment/);
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1)!)).toEqual([null, null, true, 3000]);
  });
});

import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, dbDriver, rows } from "@/db/client";
import { makeSite } from "./helpers/factories";

describe("database", () => {
  it("migrates from zero and stores a site", async () => {
    const site = await makeSite();
    const result = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from sites where id = ${site.id}`));
    expect(result[0].n).toBe(1);
    expect(["pglite", "postgres"]).toContain(dbDriver());
  });
});

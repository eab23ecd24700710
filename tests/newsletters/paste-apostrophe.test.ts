import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { pasteAddresses } from "@/lib/newsletters/subscriptions/paste";
import { parsePastedSubscribers } from "@/lib/newsletters/phones";
import { makeGroups, makeSite } from "../helpers/factories";

/**
 * Subscriptions » "Paste many" finds the address in each line with a pattern that stops at an
 * apostrophe, a character addresses may hold (o'brien@…, d'angelo@…; the signup form and the
 * import accept them). "Ann O'Brien <o'brien@example.ie>" subscribes brien@example.ie, someone
 * else, and the report counts it as added: nothing says the address was cut.
 */
let site: Site;
beforeAll(async () => {
  site = await makeSite({ domain: "paste.example.org" });
  await makeGroups(site.id, 1);
});

describe("pasting a person whose address holds an apostrophe", () => {
  it("reads the whole address", () => {
    expect(parsePastedSubscribers("Ann O'Brien <o'brien@example.ie>", "FR").entries).toEqual([{ email: "o'brien@example.ie", name: "Ann O'Brien", phone: null }]);
    expect(parsePastedSubscribers("d'angelo@example.it", "FR").entries.map((e) => e.email)).toEqual(["d'angelo@example.it"]);
  });

  it("subscribes that address, not a shorter one", async () => {
    const report = await pasteAddresses(site.id, 1, "Ann O'Brien <o'brien@example.ie> 06 12 34 56 78", "Added by hand", "FR", "en");
    expect(report).toMatchObject({ added: 1, invalid: [] });
    const rows = await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, 1)));
    expect(rows.map((r) => r.email)).toEqual(["o'brien@example.ie"]);
  });
});

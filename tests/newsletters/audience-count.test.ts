import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriberKeys, subscriptions, type Site } from "@/db/schema";
import { audienceRows, countAudience, type AudienceSpec } from "@/lib/newsletters/audience";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { makeSite } from "../helpers/factories";

// countAudience counts the send dialog's recipients without building them (it no longer joins
// every address to its key): it must still give exactly as many as the send would queue
// (audienceRows), whatever mix of groups, statuses, suppressions, erasures and pasted
// addresses the site holds.

let site: Site;
let other: Site;
const sub = (siteId: number, groupId: number, email: string, status: "confirmed" | "unconfirmed" | "unsubscribed" = "confirmed") =>
  ({ siteId, groupId, email, status, source: "screen" as const });

/** The addresses the send itself would queue now. */
async function queued(spec: AudienceSpec): Promise<string[]> {
  const result = await db.execute(sql`select recipient from (${await audienceRows(spec, "https://x.example.org")}) as r`);
  return rows<{ recipient: string }>(result).map((r) => r.recipient).sort();
}

async function suppress(siteId: number, email: string) {
  await db.insert(subscriberKeys).values({ siteId, email, token: `t-${siteId}-${email}`, suppressedAt: new Date() }).onConflictDoUpdate({
    target: [subscriberKeys.siteId, subscriberKeys.email],
    set: { suppressedAt: new Date() },
  });
}

beforeAll(async () => {
  site = await makeSite();
  other = await makeSite();
  await db.insert(subscriptions).values([
    // In two of the groups: counted once.
    sub(site.id, 1, "both@example.org"),
    sub(site.id, 2, "both@example.org"),
    sub(site.id, 1, "one@example.org"),
    sub(site.id, 2, "two@example.org"),
    // Not confirmed in the groups: not counted from them.
    sub(site.id, 1, "waits@example.org", "unconfirmed"),
    sub(site.id, 1, "left1@example.org", "unsubscribed"),
    // Left group 3 but confirmed in group 1: group 1 still gives it.
    sub(site.id, 1, "stays@example.org"),
    sub(site.id, 3, "stays@example.org", "unsubscribed"),
    // Confirmed, then "unsubscribe from everything": suppressed.
    sub(site.id, 1, "gone@example.org"),
    // Only in a group the send is not for.
    sub(site.id, 3, "elsewhere@example.org"),
    // Left group 3 only: a pasted list no longer reaches it.
    sub(site.id, 3, "leftpaste@example.org", "unsubscribed"),
    // Erased below.
    sub(site.id, 1, "erased@example.org"),
    // Another site's members and suppressions change nothing here.
    sub(other.id, 1, "one@example.org"),
    sub(other.id, 1, "foreign@example.org"),
  ]);
  await suppress(site.id, "gone@example.org");
  await suppress(site.id, "pastedgone@example.org");
  await suppress(other.id, "one@example.org");
  // A key without suppression (the address received a newsletter before) changes nothing.
  await db.insert(subscriberKeys).values({ siteId: site.id, email: "one@example.org", token: "plain-one" });
  await eraseSubscriber(site.id, "erased@example.org", "test");
});

describe("countAudience (email)", () => {
  const cases: [string, Omit<AudienceSpec, "siteId">, string[]][] = [
    ["one group", { groupIds: [1], pasted: "" }, ["both@example.org", "one@example.org", "stays@example.org"]],
    ["two groups, an address in both counted once", { groupIds: [1, 2], pasted: "" }, ["both@example.org", "one@example.org", "stays@example.org", "two@example.org"]],
    ["the same group twice", { groupIds: [2, 2], pasted: "" }, ["both@example.org", "two@example.org"]],
    ["no group, nothing pasted", { groupIds: [], pasted: "" }, []],
    [
      "pasted: new, a member already counted, one of another group, bad, duplicate",
      { groupIds: [1], pasted: "new@example.org\none@example.org, elsewhere@example.org; not-an-address\nNEW@example.org" },
      ["both@example.org", "elsewhere@example.org", "new@example.org", "one@example.org", "stays@example.org"],
    ],
    [
      "pasted: unsubscribed from some group, suppressed, erased, unconfirmed",
      { groupIds: [2], pasted: "leftpaste@example.org\npastedgone@example.org\ngone@example.org\nerased@example.org\nwaits@example.org\nleft1@example.org" },
      ["both@example.org", "two@example.org", "waits@example.org"],
    ],
    [
      "pasted: a member of the group who left another group still comes from the group",
      { groupIds: [1], pasted: "stays@example.org" },
      ["both@example.org", "one@example.org", "stays@example.org"],
    ],
    ["pasted only", { groupIds: [], pasted: "stays@example.org\nx@example.org\nforeign@example.org" }, ["foreign@example.org", "x@example.org"]],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, async () => {
      const full = { siteId: site.id, ...spec };
      expect(await countAudience(full)).toBe(expected.length);
      expect(await queued(full)).toEqual(expected);
    });
  }

  it("another site counts its own suppressions", async () => {
    expect(await countAudience({ siteId: other.id, groupIds: [1], pasted: "one@example.org" })).toBe(1);
    // The suppressed key and the erasure were the first site's: a paste of them reaches here.
    expect(await countAudience({ siteId: other.id, groupIds: [], pasted: "gone@example.org\nerased@example.org" })).toBe(2);
  });

  it("follows a suppression lifted (the key stays, suppressed_at emptied)", async () => {
    await db.update(subscriberKeys).set({ suppressedAt: null }).where(and(eq(subscriberKeys.siteId, site.id), eq(subscriberKeys.email, "gone@example.org")));
    expect(await countAudience({ siteId: site.id, groupIds: [1], pasted: "" })).toBe(4);
    await suppress(site.id, "gone@example.org");
    expect(await countAudience({ siteId: site.id, groupIds: [1], pasted: "" })).toBe(3);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { smsOptOuts, subscriptions, type Site } from "@/db/schema";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { makeSite } from "../helpers/factories";

// The group screen's page is read first and its rows' SMS opt-out flags after, over the page
// only: each row must still carry its own flag (its site's opt-out of its own number), in
// both paging directions, and the page must hold only its group's rows, newest first.

let site: Site;
let other: Site;
const phone = (i: number) => `+336123450${String(i).padStart(2, "0")}`;

beforeAll(async () => {
  site = await makeSite();
  other = await makeSite();
  // Groups 1 and 2 interleaved by id; every third row has no number.
  await db.insert(subscriptions).values(
    Array.from({ length: 40 }, (_, i) => ({
      siteId: site.id,
      groupId: 1 + (i % 2),
      email: `p${String(i).padStart(2, "0")}@example.org`,
      phone: i % 3 === 0 ? null : phone(i),
      status: "confirmed" as const,
      source: "screen" as const,
    })),
  );
  // Some numbers opted out on this site; 5 and 7 only on the other site (no flag here).
  await db.insert(smsOptOuts).values([
    ...[4, 8, 16, 20, 28, 32].map((i) => ({ siteId: site.id, phone: phone(i), keyword: "STOP" })),
    ...[5, 7].map((i) => ({ siteId: other.id, phone: phone(i), keyword: "STOP" })),
  ]);
});

const expected = (group: number) =>
  Array.from({ length: 40 }, (_, i) => i)
    .filter((i) => 1 + (i % 2) === group)
    .reverse()
    .map((i) => ({ email: `p${String(i).padStart(2, "0")}@example.org`, smsOptedOut: i % 3 !== 0 && [4, 8, 16, 20, 28, 32].includes(i) }));

describe("group subscriptions list", () => {
  for (const group of [1, 2]) {
    it(`group ${group}: only its rows, newest first, each with its own opt-out flag, paged both ways`, async () => {
      const where = subscriptionsWhere(site.id, group);
      const seen: { email: string; smsOptedOut: boolean }[] = [];
      const pages: number[][] = [];
      let after: number | undefined;
      for (;;) {
        const page = await listSubscriptions(where, { after, limit: 6 });
        pages.push(page.rows.map((r) => r.id));
        seen.push(...page.rows.map((r) => ({ email: r.email, smsOptedOut: r.smsOptedOut })));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toEqual(expected(group));
      // Back from the last page: the same pages, the same order within each.
      const last = pages.at(-1)!;
      const back = await listSubscriptions(where, { before: last[0], limit: 6 });
      expect(back.rows.map((r) => r.id)).toEqual(pages.at(-2));
      expect(back.rows.map((r) => r.smsOptedOut)).toEqual(seen.slice(-last.length - 6, -last.length).map((r) => r.smsOptedOut));
    });
  }

  it("finds an address by prefix in the group only", async () => {
    const page = await listSubscriptions(subscriptionsWhere(site.id, 1, { q: "p0" }));
    expect(page.rows.map((r) => r.email)).toEqual(["p08@example.org", "p06@example.org", "p04@example.org", "p02@example.org", "p00@example.org"]);
    expect(page.rows.map((r) => r.smsOptedOut)).toEqual([true, false, true, false, false]);
  });
});

import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { sites, subscriberKeys, subscriptions } from "@/db/schema";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { groupCounts, groupStatusCounts, type StatusCounts } from "@/lib/newsletters/groups";
import { moveSubscriptions } from "@/lib/newsletters/subscriptions/move";
import { pasteAddresses } from "@/lib/newsletters/subscriptions/paste";
import { removeSubscriptions } from "@/lib/newsletters/subscriptions/remove";
import { ensureTokens } from "@/lib/newsletters/keys";
import { unsubscribeAll, unsubscribeGroup } from "@/lib/newsletters/unsubscribe";
import { makeGroups, makeSite } from "../helpers/factories";

// The Subscriptions screens read their counts from subscription_counts, which triggers on
// `subscriptions` keep (migration 0035). After every kind of write the app makes, they must
// equal a real count of the table.

/** What the trigger-kept counters must always equal. */
async function counted(siteId: number): Promise<Map<number, StatusCounts>> {
  const result = await db.execute(sql`select group_id, status, count(*)::int as n from subscriptions where site_id = ${siteId} group by group_id, status`);
  const out = new Map<number, StatusCounts>();
  for (const r of rows<{ group_id: number; status: keyof StatusCounts; n: number }>(result)) {
    const c = out.get(Number(r.group_id)) ?? { unconfirmed: 0, confirmed: 0, unsubscribed: 0 };
    c[r.status] = Number(r.n);
    out.set(Number(r.group_id), c);
  }
  return out;
}

const idsOf = async (siteId: number, groupId: number, emails: string[]) =>
  (await db.select({ id: subscriptions.id, email: subscriptions.email }).from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId))))
    .filter((r) => emails.includes(r.email))
    .map((r) => r.id);

const tokenOf = async (siteId: number, email: string) => {
  await ensureTokens(siteId, sql`select ${email}::text as email`);
  const [key] = await db.select({ token: subscriberKeys.token }).from(subscriberKeys).where(and(eq(subscriberKeys.siteId, siteId), eq(subscriberKeys.email, email)));
  return key.token;
};

describe("subscription counts", () => {
  it("follow every insert, status change, move, removal and erasure, per site and group", async () => {
    const a = await makeSite();
    const b = await makeSite();
    await makeGroups(a.id, 1, 2, 3, 4);
    await makeGroups(b.id, 1);
    const check = async (when: string) => {
      for (const site of [a, b]) {
        const real = await counted(site.id);
        expect(await groupCounts(site.id), `${when}: site ${site.id}`).toEqual(real);
        for (const group of [1, 2, 3, 4]) expect(await groupStatusCounts(site.id, group), `${when}: group ${group}`).toEqual(real.get(group) ?? null);
      }
    };
    await check("empty");

    const list = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}@example.org`).join("\n");
    await pasteAddresses(a.id, 1, list("a", 30), "ok", "FR", "fr");
    await pasteAddresses(a.id, 2, list("a", 10), "ok", "FR", "fr"); // the same people in a second group
    await pasteAddresses(b.id, 1, list("b", 7), "ok", "FR", "fr");
    await db.insert(subscriptions).values(Array.from({ length: 5 }, (_, i) => ({ siteId: a.id, groupId: 3, email: `w${i}@example.org`, source: "screen" as const })));
    await check("after inserts");

    // One statement changing several statuses in several groups at once.
    await db.execute(sql`update subscriptions set status = case when group_id = 3 then 'confirmed' else 'unconfirmed' end where site_id = ${a.id} and email in ('a1@example.org', 'a2@example.org', 'w0@example.org')`);
    // An update that changes nothing counted (a name) leaves the counters alone.
    await db.update(subscriptions).set({ name: "Renamed" }).where(eq(subscriptions.siteId, a.id));
    await check("after status updates");

    // Leaving one group, then everything (every group's subscription turns unsubscribed).
    await unsubscribeGroup(await tokenOf(a.id, "a3@example.org"), 1);
    await unsubscribeAll(await tokenOf(a.id, "a4@example.org"));
    await check("after unsubscribing");

    // A move: new rows in the target, merges into rows already there, unsubscribed copies kept.
    const moved = await moveSubscriptions(a.id, 1, 2, await idsOf(a.id, 1, ["a3@example.org", "a5@example.org", "a12@example.org", "a13@example.org"]));
    expect(moved).toMatchObject({ moved: 2, merged: 2, kept: 1 }); // a3 (left group 1, in group 2 already) is merged and kept
    await moveSubscriptions(a.id, 3, 4, await idsOf(a.id, 3, ["w0@example.org", "w1@example.org"]));
    await check("after moves");

    await removeSubscriptions(a.id, 1, await idsOf(a.id, 1, ["a20@example.org", "a21@example.org", "a3@example.org"]));
    await db.delete(subscriptions).where(and(eq(subscriptions.siteId, b.id), eq(subscriptions.email, "b0@example.org")));
    await check("after removals");

    // Erasure deletes the address's rows in every group and status.
    await eraseSubscriber(a.id, "a4@example.org", "test");
    await eraseSubscriber(a.id, "a1@example.org", "test");
    await check("after erasures");

    // A group emptied has no counts left (its page's orphan check reads this).
    await db.delete(subscriptions).where(and(eq(subscriptions.siteId, a.id), eq(subscriptions.groupId, 4)));
    expect(await groupStatusCounts(a.id, 4)).toBeNull();
    expect((await groupCounts(a.id)).has(4)).toBe(false);
    await check("after emptying a group");

    // Deleting a site takes its subscriptions and counters with it, and leaves the other site's.
    await db.delete(sites).where(eq(sites.id, b.id));
    expect(rows(await db.execute(sql`select 1 from subscription_counts where site_id = ${b.id}`))).toEqual([]);
    expect(await groupCounts(a.id)).toEqual(await counted(a.id));
  });
});

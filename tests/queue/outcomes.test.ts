import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { claim } from "@/lib/queue/claim";
import { recordOutcomes } from "@/lib/queue/record";
import { makeSite } from "../helpers/factories";

const message = { kind: "test", subject: "s", text: "t", fromName: "", fromAddress: "o@example.org" };
const people = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ address: `${p}${i}@example.org` }));

describe("claims and outcomes", () => {
  it("record each row's own outcome when one statement carries many", async () => {
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: people(6, "mixed") });
    const { token, ids } = await claim({ kind: "send", siteId: site.id, limit: 6, actor: "t" });
    const [a, b, c, d, e, f] = ids;
    const recorded = await recordOutcomes(token, "t", [
      { id: a, ok: true, providerMessageId: "<a@x>" },
      { id: b, ok: false, transient: true, error: '451 "try later", {braces} too' },
      { id: c, ok: true, providerMessageId: "<c@x>" },
      { id: d, ok: false, transient: false, error: "550 no such user" },
    ]);
    expect(recorded.sort()).toEqual([a, b, c, d].sort());
    const byId = new Map((await db.select().from(queue).where(eq(queue.siteId, site.id))).map((r) => [r.id, r]));
    expect(byId.get(a)).toMatchObject({ status: "sent", providerMessageId: "<a@x>", leaseToken: token, leaseExpiresAt: null });
    expect(byId.get(c)).toMatchObject({ status: "sent", providerMessageId: "<c@x>" });
    expect(byId.get(b)).toMatchObject({ status: "error", retryable: true, lastError: '451 "try later", {braces} too', providerMessageId: null });
    expect(byId.get(d)).toMatchObject({ status: "error", retryable: false, lastError: "550 no such user" });
    // Rows without an outcome keep their lease; an outcome under another token changes nothing.
    expect(byId.get(e)).toMatchObject({ status: "sending", leaseToken: token });
    expect(await recordOutcomes("00000000-0000-4000-8000-000000000000", "t", [{ id: f, ok: true, providerMessageId: "<f@x>" }])).toEqual([]);
    expect((await db.select().from(queue).where(eq(queue.id, f)))[0]).toMatchObject({ status: "sending", providerMessageId: null });
  });

  it("refresh the planner's statistics after a bulk enqueue, before runners claim", async () => {
    const reltuples = async () => Number(rows<{ n: number }>(await db.execute(sql`select reltuples::float8 as n from pg_class where relname = 'queue'`))[0].n);
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: people(50, "small") });
    const before = await reltuples(); // a fresh table: never analyzed (-1) or a stale figure
    expect(before).toBeLessThan(50);
    await enqueue({ siteId: site.id, message: { ...message, subject: "bulk" }, recipients: people(5_000, "bulk") });
    expect(await reltuples()).toBeGreaterThanOrEqual(5_000);
  });
});

import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { outboundMessages } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { cancelPending, setPending } from "@/lib/queue/manage";
import { claim } from "@/lib/queue/claim";
import { recordOutcomes } from "@/lib/queue/record";
import { queueStats } from "@/lib/queue/stats";
import { makeSite } from "../helpers/factories";

/** What the trigger-kept counters must always equal. */
async function counted(siteId: number) {
  const result = await db.execute(sql`select status, count(*)::int as n from queue where site_id = ${siteId} group by status`);
  const out: Record<string, number> = { pending: 0, sending: 0, sent: 0, error: 0, delivered: 0 };
  for (const r of rows<{ status: string; n: number }>(result)) out[r.status] = Number(r.n);
  return out;
}

const message = { kind: "test", subject: "s", text: "t", fromName: "", fromAddress: "o@example.org" };
const people = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ address: `${p}${i}@example.org` }));

describe("queue status counters", () => {
  it("follow every insert, claim, outcome, manual change and delete, per site", async () => {
    const a = await makeSite();
    const b = await makeSite();
    const check = async () => {
      for (const site of [a, b]) expect((await queueStats(site.id)).counts).toEqual(await counted(site.id));
      // Per message too (a send's report reads them), retryable errors apart.
      expect(await perMessage("message_status_counts", [a.id, b.id])).toEqual(await perMessage("queue", [a.id, b.id]));
    };
    const { messageId } = await enqueue({ siteId: a.id, message, recipients: people(30, "a") });
    await enqueue({ siteId: b.id, message, recipients: people(7, "b") });
    await enqueue({ siteId: a.id, message, recipients: people(30, "a") }); // a second message
    await check();

    const { token, ids } = await claim({ kind: "send", siteId: a.id, limit: 25, actor: "t" });
    await check();
    await recordOutcomes(token, "t", [
      ...ids.slice(0, 10).map((id) => ({ id, ok: true as const, providerMessageId: `p${id}` })),
      ...ids.slice(10, 20).map((id) => ({ id, ok: false as const, transient: true, error: "451" })),
    ]);
    await check();
    expect((await queueStats(a.id)).counts).toMatchObject({ sent: 10, error: 10, sending: 5, pending: 35 });

    await cancelPending(sql`site_id = ${a.id}`, "user:1");
    await setPending(sql`site_id = ${a.id} and status = 'error'`, "user:1");
    await check();

    await db.delete(outboundMessages).where(eq(outboundMessages.id, messageId)); // cascades to its rows
    await check();
    const all = await queueStats(null);
    expect(all.total).toBe((await queueStats(a.id)).total + (await queueStats(b.id)).total + (await otherSitesTotal([a.id, b.id])));
  });
});

async function otherSitesTotal(exclude: number[]) {
  const result = await db.execute(sql`select count(*)::int as n from queue where not (site_id = any(${`{${exclude.join(",")}}`}::int[]))`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/** `message_id/status/retryable` → rows, counted in `queue` or read from the counters (zeros left out). */
async function perMessage(from: "queue" | "message_status_counts", sites: number[]) {
  const messages = sql`(select id from outbound_messages where site_id = any(${`{${sites.join(",")}}`}::int[]))`;
  const result =
    from === "queue"
      ? await db.execute(sql`select message_id, status, retryable, count(*)::int as n from queue where message_id in ${messages} group by 1, 2, 3`)
      : await db.execute(sql`select message_id, status, retryable, n::int as n from message_status_counts where message_id in ${messages} and n <> 0`);
  return Object.fromEntries(rows<{ message_id: number; status: string; retryable: boolean; n: number }>(result).map((r) => [`${r.message_id}/${r.status}/${r.retryable}`, Number(r.n)]));
}

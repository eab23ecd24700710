// npx tsx bench/queue-enqueue.ts — enqueue() of one message to 100,000 recipients against a plain
// `INSERT INTO queue … SELECT … FROM generate_series` of 100,000 rows in the same database
// (target: enqueue ≤ 2× the plain insert). PostgreSQL only (DATABASE_URL): a throwaway database is
// created and dropped. Rounds alternate so both face the same table size. Never fails on timing.
import { performance } from "node:perf_hooks";
import { fmt, summarize, throwawayDatabase } from "./queue-common";

const N = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const database = await throwawayDatabase();
const { db } = await import("@/db/client");
const { sites, outboundMessages } = await import("@/db/schema");
const { enqueue } = await import("@/lib/queue/enqueue");
const { sql } = await import("drizzle-orm");

const content = {
  kind: "newsletter",
  subject: "News for {{name}}",
  text: "Hello {{name}}",
  html: "<p>Hello {{name}}</p>",
  fromName: "Bench",
  fromAddress: "news@bench.example.org",
};

try {
  const [site] = await db.insert(sites).values({ domain: "bench.example.org", name: "Bench" }).returning();
  const timings = { enqueue: [] as number[], plain: [] as number[], plainOnConflict: [] as number[] };

  for (let round = 1; round <= ROUNDS; round++) {
    // The caller already holds its recipient list: building it is not part of the enqueue.
    const recipients = Array.from({ length: N }, (_, i) => ({ address: `r${round}.reader${i}@example.org`, name: `Reader ${i}` }));
    const t = performance.now();
    const { queued } = await enqueue({ siteId: site.id, message: content, recipients });
    timings.enqueue.push(performance.now() - t);
    if (queued !== N) throw new Error(`enqueue queued ${queued} of ${N}`);

    const plain = async (onConflict: boolean) => {
      const [m] = await db.insert(outboundMessages).values({ siteId: site.id, ...content }).returning({ id: outboundMessages.id });
      const conflict = onConflict ? sql`on conflict (message_id, recipient, channel) do nothing` : sql``;
      const start = performance.now();
      await db.execute(sql`
        insert into queue (site_id, message_id, channel, recipient, recipient_name)
        select ${site.id}, ${m.id}, 'email', 'r' || ${round} || '.reader' || g || '@example.org', 'Reader ' || g
        from generate_series(0, ${N - 1}) g ${conflict}`);
      return performance.now() - start;
    };
    timings.plain.push(await plain(false));
    timings.plainOnConflict.push(await plain(true));
    console.log(
      `round ${round}: enqueue ${fmt(timings.enqueue.at(-1)!)} ms, plain INSERT…SELECT ${fmt(timings.plain.at(-1)!)} ms, ` +
        `with ON CONFLICT DO NOTHING ${fmt(timings.plainOnConflict.at(-1)!)} ms`,
    );
  }

  const e = summarize(timings.enqueue).median;
  const p = summarize(timings.plain).median;
  const c = summarize(timings.plainOnConflict).median;
  console.log(`\n${fmt(N)} rows, median of ${ROUNDS} rounds (queue table grows by ${fmt(3 * N)} rows per round)`);
  console.log(`enqueue()                                   ${fmt(e)} ms   ${fmt((N / e) * 1000)} rows/s`);
  console.log(`INSERT … SELECT generate_series             ${fmt(p)} ms   ${fmt((N / p) * 1000)} rows/s`);
  console.log(`INSERT … SELECT … ON CONFLICT DO NOTHING    ${fmt(c)} ms   ${fmt((N / c) * 1000)} rows/s`);
  console.log(`ratio enqueue/plain: ${fmt(e / p, 2)}× (target ≤ 2×); enqueue/plain-with-on-conflict: ${fmt(e / c, 2)}×`);
} finally {
  await database.drop();
}

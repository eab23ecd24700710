// npx tsx bench/queue-screen.ts — the queue screen's queries over 1,000,000 queue rows
// (target: < 100 ms each). Calls what the screen calls: queueWhere + listQueue (lib/queue/list.ts)
// for pages, queueStats (lib/queue/stats.ts) for the counts per status. PostgreSQL only
// (DATABASE_URL): a throwaway database is created and dropped. Median and p95 of BENCH_RUNS runs
// after a warm-up; prints figures, never fails on timing. BENCH_KEEP=1 keeps the database to EXPLAIN.
import { performance } from "node:perf_hooks";
import { fmt, summarize, throwawayDatabase } from "./queue-common";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;
const MESSAGES_PER_SITE = 100;
const TARGET_MS = 100;

const database = await throwawayDatabase();
const { db, rows } = await import("@/db/client");
const { queueWhere, listQueue, pageOrder } = await import("@/lib/queue/list");
const { queueStats } = await import("@/lib/queue/stats");
const { sql } = await import("drizzle-orm");
type Filters = Parameters<typeof queueWhere>[0];

try {
  // Three sites: 60%, 30% and 10% of the rows, interleaved by id as they would be in real life.
  let t = performance.now();
  await db.execute(sql`insert into sites (domain, name) values ('big.example.org', 'Big'), ('mid.example.org', 'Mid'), ('small.example.org', 'Small')`);
  await db.execute(sql`
    insert into outbound_messages (site_id, kind, subject, text, from_address)
    select s, 'newsletter', 'Issue ' || m || ' for {{name}}', 'Hello {{name}}', 'news@site' || s || '.example.org'
    from generate_series(1, 3) s, generate_series(1, ${MESSAGES_PER_SITE}) m order by s, m`);
  // Statuses as a mature queue has them: mostly sent; sms on one row in ten; a year of history.
  await db.execute(sql`
    insert into queue (site_id, message_id, channel, recipient, recipient_name, status, attempts, retryable, last_error,
                       lease_token, lease_expires_at, queued_at, sent_at, delivered_at, updated_at, next_attempt_at)
    select site, (site - 1) * ${MESSAGES_PER_SITE} + 1 + (g::bigint * ${MESSAGES_PER_SITE} / (${ROWS} + 1)),
           case when sms then 'sms' else 'email' end,
           case when sms then '+3366' || lpad(k::text, 7, '0') else 'reader' || k || '@example.org' end,
           'Reader ' || g, status, case when status = 'error' then 3 else 1 end, false,
           case when status = 'error' then '550 5.1.1 Mailbox unavailable' end,
           case when status = 'sending' then gen_random_uuid() end,
           case when status = 'sending' then now() + interval '5 minutes' end,
           at, case when status in ('sent', 'delivered') then at + interval '1 minute' end,
           case when status = 'delivered' then at + interval '2 minutes' end, at,
           case when status = 'pending' then now() + interval '1 day' else at end
    from (
      -- k: a permutation of g (7919 is invertible modulo the prime 1,000,003), so recipients do not
      -- follow insertion order and a prefix's matches are spread over the whole table.
      select g, (g::bigint * 7919) % 1000003 as k, case when g % 10 < 6 then 1 when g % 10 < 9 then 2 else 3 end as site, random() < 0.1 as sms,
             now() - interval '365 days' + g * (interval '365 days' / ${ROWS}) as at,
             case when r < 85 then 'sent' when r < 90 then 'delivered' when r < 94 then 'error' when r < 99 then 'pending' else 'sending' end as status
      from generate_series(1, ${ROWS}) g, lateral (select floor(random() * 100 + g * 0) as r) h
    ) x`);
  const insertMs = performance.now() - t;
  t = performance.now();
  await db.execute(sql`vacuum analyze queue`); // what autovacuum does to a live table
  await db.execute(sql`vacuum analyze outbound_messages`);
  console.log(`inserted ${fmt(ROWS)} rows in ${fmt(insertMs / 1000, 1)} s; VACUUM ANALYZE ${fmt((performance.now() - t) / 1000, 1)} s`);

  const ids = async (siteId: number) => {
    const [r] = rows<{ lo: number; mid: number; n: number }>(
      await db.execute(sql`select min(id)::int as lo, (percentile_disc(0.5) within group (order by id))::int as mid, count(*)::int as n from queue where site_id = ${siteId}`),
    );
    return r;
  };
  const big = await ids(1);
  console.log(`site 1 holds ${fmt(big.n)} rows; the whole table ${fmt(ROWS)}\n`);

  // The last row of the date range's first page: where its second page starts.
  const firstDatePage = await listQueue(await queueWhere({ from: dayAgo(240), to: dayAgo(234) }, 1), { limit: 50, order: "queuedAt" });
  const dateCursor = firstDatePage.next ?? undefined;
  // The last row of its second page: "Previous page" from the third page reads the second one.
  const dateBack = (await listQueue(await queueWhere({ from: dayAgo(240), to: dayAgo(234) }, 1), { after: dateCursor, limit: 50, order: "queuedAt" })).next ?? undefined;

  const page = (filters: Filters, siteId: number | null, cursor: { after?: number; before?: number } = {}) => async () => {
    const where = await queueWhere(filters, siteId);
    const { rows: found } = await listQueue(where, { ...cursor, limit: 50, order: pageOrder(filters), allSites: siteId === null });
    return found.length;
  };
  const cases: { name: string; run: () => Promise<number> }[] = [
    { name: "first page, one site", run: page({}, 1) },
    { name: "first page, all sites (superuser)", run: page({}, null) },
    { name: "status = error, first page", run: page({ status: "error" }, 1) },
    { name: "status = pending, channel = sms", run: page({ status: "pending", channel: "sms" }, 1 + 1) },
    { name: "date range (one week, 8 months ago)", run: page({ from: dayAgo(240), to: dayAgo(234) }, 1) },
    { name: "date range, all sites", run: page({ from: dayAgo(240), to: dayAgo(234) }, null) },
    { name: "date range, next page (keyset)", run: page({ from: dayAgo(240), to: dayAgo(234) }, 1, { after: dateCursor }) },
    { name: "date range, previous page (keyset before)", run: page({ from: dayAgo(240), to: dayAgo(234) }, 1, { before: dateBack }) },
    { name: "date range + status = error", run: page({ from: dayAgo(240), to: dayAgo(234), status: "error" }, 1) },
    { name: "recipient prefix 'reader12345'", run: page({ recipient: "reader12345" }, 1) },
    { name: "recipient prefix 'reader99' (~1%)", run: page({ recipient: "reader99" }, 1) },
    { name: "recipient prefix 'reader1' (~11%)", run: page({ recipient: "reader1" }, 1) },
    { name: "recipient prefix, all sites", run: page({ recipient: "reader99" }, null) },
    { name: "recipient prefix + status = error", run: page({ recipient: "reader99", status: "error" }, 1) },
    { name: "subject contains 'Issue 42 '", run: page({ subject: "Issue 42 " }, 1) },
    { name: "deep keyset page (median id)", run: page({}, 1, { after: big.mid }) },
    { name: "deep keyset page back (before median id)", run: page({}, 1, { before: big.mid }) },
    { name: "deep keyset page back, all sites", run: page({}, null, { before: big.mid }) },
    { name: "deep keyset page (oldest rows)", run: page({}, 1, { after: big.lo + 500 }) },
    { name: "deep keyset page, status = error", run: page({ status: "error" }, 1, { after: big.lo + 5_000 }) },
    { name: "deep keyset page back, status = error", run: page({ status: "error" }, 1, { before: big.lo + 5_000 }) },
    { name: "counts per status, one site", run: async () => (await queueStats(1)).total },
    { name: "counts per status, all sites", run: async () => (await queueStats(null)).total },
  ];

  console.log(`${"query".padEnd(40)} ${"rows".padStart(6)} ${"median".padStart(9)} ${"p95".padStart(9)}  target < ${TARGET_MS} ms`);
  const misses: string[] = [];
  for (const c of cases) {
    let count = 0;
    for (let i = 0; i < WARMUP; i++) count = await c.run();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await c.run();
      samples.push(performance.now() - start);
    }
    const s = summarize(samples);
    if (s.p95 >= TARGET_MS) misses.push(c.name);
    console.log(`${c.name.padEnd(40)} ${String(count).padStart(6)} ${fmt(s.median, 1).padStart(6)} ms ${fmt(s.p95, 1).padStart(6)} ms  ${s.p95 < TARGET_MS ? "ok" : "MISSES"}`);
  }
  console.log(misses.length ? `\nover target at p95: ${misses.join("; ")}` : "\nevery query under target at p95");
} finally {
  if (!process.env.BENCH_KEEP) await database.drop();
  else {
    await database.keep();
    console.log(`kept database ${database.name}`);
  }
}

function dayAgo(days: number) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

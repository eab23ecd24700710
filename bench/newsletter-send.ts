// npx tsx --expose-gc bench/newsletter-send.ts — "Send" of one newsletter to three overlapping
// groups holding 100,000 distinct confirmed subscribers (target: < 10 s), on PostgreSQL.
//
// A throwaway database is created on DATABASE_URL's server (default: the local one) and dropped
// at the end. Prints figures and ratios from one run; never fails on timing. It does fail if the
// queue does not hold exactly one row per distinct confirmed subscriber.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const TARGET_S = 10;
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const dbName = `chora_bench_${randomBytes(5).toString("hex")}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "chora-bench-send-"));
await withAdmin(async (s) => {
  await s.unsafe(`create database ${dbName}`);
  // A send that takes a bad plan ends with an error here instead of running for hours.
  await s.unsafe(`alter database ${dbName} set statement_timeout = '${Number(process.env.BENCH_STATEMENT_TIMEOUT_S ?? 120)}s'`);
});
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
// Before lib/env.ts loads: the app's `db` opens the throwaway database, nothing runs the queue.
Object.assign(process.env, { DATABASE_URL: url.toString(), DATA_DIR: dataDir, QUEUE_SCHEDULER: "off" });

const { db, closeDb, rows } = await import("@/db/client");
const { runMigrations } = await import("@/db/migrate");
const { messageTemplates, sites, users } = await import("@/db/schema");
const { setOverride } = await import("@/lib/i18n/overrides");
const { sendTemplate } = await import("@/lib/newsletters/send");
const { audienceRows, countAudience } = await import("@/lib/newsletters/audience");
const { sql } = await import("drizzle-orm");

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const memory = () => {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const one = async <T>(q: ReturnType<typeof sql>) => rows<T>(await db.execute(q))[0];

let failed = false;
try {
  await runMigrations(db, "postgres");
  const { v } = await one<{ v: string }>(sql`select current_setting('server_version') as v`);
  console.log(`chora bench: newsletter send — ${SUBSCRIBERS.toLocaleString("en")} distinct confirmed subscribers in 3 overlapping groups`);
  console.log(`PostgreSQL ${v}, database ${dbName}; node ${process.version}, ${os.cpus().length} cores, gc ${gc ? "exposed" : "NOT exposed (run with --expose-gc for steadier memory figures)"}`);

  const [site] = await db.insert(sites).values({ domain: "bench.example.org", name: "Bench", defaultLocale: "fr" }).returning();
  const [admin] = await db.insert(users).values({ siteId: site.id, role: "admin", email: "admin@bench.example.org", name: "Admin", passwordHash: "x" }).returning();
  for (const [id, label] of [[1, "News"], [2, "Offers"], [3, "Events"]] as const) await setOverride(site.id, "en", `signup_opt${id}`, label);

  // Subscriber i is in group 1 if i ≤ 60 %, group 2 if 40 % < i ≤ 90 %, group 3 if i > 75 % or
  // i is a multiple of 10: every address is in at least one group, many in two or three.
  // Plus rows that must not be reached: unconfirmed and unsubscribed addresses.
  const n = SUBSCRIBERS;
  const tInsert = performance.now();
  await db.execute(sql`
    insert into subscriptions (site_id, group_id, email, locale, locale_set_at, status, source, confirmed_at)
    select ${site.id}, g.id, 'sub' || i || '@example.org', case when i % 4 = 0 then 'en' else 'fr' end, now(), 'confirmed', 'import', now()
      from generate_series(1, ${n}) as i
      cross join (values (1), (2), (3)) as g(id)
     where (g.id = 1 and i <= ${n * 0.6})
        or (g.id = 2 and i > ${n * 0.4} and i <= ${n * 0.9})
        or (g.id = 3 and (i > ${n * 0.75} or i % 10 = 0))`);
  await db.execute(sql`
    insert into subscriptions (site_id, group_id, email, status, source)
    select ${site.id}, 1 + i % 3, 'other' || i || '@example.org', case when i % 2 = 0 then 'unconfirmed' else 'unsubscribed' end, 'signup'
      from generate_series(1, ${Math.round(n * 0.05)}) as i`);
  await db.execute(sql`analyze`);
  const insertMs = performance.now() - tInsert;
  const { total } = await one<{ total: number }>(sql`select count(*)::int as total from subscriptions`);
  const { distinct } = await one<{ distinct: number }>(sql`select count(distinct email)::int as distinct from subscriptions where status = 'confirmed'`);
  console.log(`data: ${total.toLocaleString("en")} subscription rows (${distinct.toLocaleString("en")} distinct confirmed addresses) inserted with generate_series in ${seconds(insertMs)}`);

  const [template] = await db
    .insert(messageTemplates)
    .values({ siteId: site.id, name: "Bench", subject: "Hello {{name}}", html: "<p>Hello {{email}}, <a href='{{unsubscribe_url}}'>unsubscribe</a></p>", groupIds: [1, 2, 3] })
    .returning();
  const spec = { siteId: site.id, groupIds: [1, 2, 3], pasted: "" };
  const tCount = performance.now();
  const audience = await countAudience(spec);
  const countMs = performance.now() - tCount;
  console.log(`countAudience (shown before sending): ${audience.toLocaleString("en")} in ${(countMs).toFixed(0)} ms`);

  const results: { label: string; ms: number; queued: number; heap: number; rss: number }[] = [];
  for (const label of ["first send (creates the unsubscribe tokens)", "second send (tokens exist)"]) {
    const before = memory();
    let peakRss = before.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const t = performance.now();
    const send = await sendTemplate(site, template, { actorId: admin.id });
    const ms = performance.now() - t;
    clearInterval(sampler);
    const after = memory();
    const { queued } = await one<{ queued: number }>(sql`select count(*)::int as queued from queue where message_id = ${send!.messageId}`);
    const { recipients } = await one<{ recipients: number }>(sql`select count(distinct recipient)::int as recipients from queue where message_id = ${send!.messageId}`);
    results.push({ label, ms, queued, heap: after.heap - before.heap, rss: peakRss - before.rss });
    const exact = queued === distinct && recipients === distinct && send!.recipientCount === distinct;
    if (!exact) failed = true;
    console.log(
      `${label}: ${seconds(ms)} (${Math.round(queued / (ms / 1000)).toLocaleString("en")} rows/s; target < ${TARGET_S} s: ${ms < TARGET_S * 1000 ? "met" : "MISSED"}); ` +
        `queue rows ${queued.toLocaleString("en")}, distinct recipients ${recipients.toLocaleString("en")}, recipientCount ${send!.recipientCount.toLocaleString("en")} → ${exact ? "exactly the distinct count" : "WRONG"}`,
    );
    console.log(`  memory: heap ${mb(before.heap)} → ${mb(after.heap)} (Δ ${mb(after.heap - before.heap)}), rss ${mb(before.rss)}, peak Δ ${mb(peakRss - before.rss)}`);
  }

  // Contrast: what holding the recipients in this process would cost (the send never does).
  const before = memory();
  const t = performance.now();
  const loaded = rows<Record<string, unknown>>(await db.execute(await audienceRows(spec, "https://bench.example.org")));
  const loadMs = performance.now() - t;
  const held = memory();
  console.log(
    `contrast — loading the same ${loaded.length.toLocaleString("en")} recipients into this process: ${seconds(loadMs)}, heap Δ ${mb(held.heap - before.heap)}, rss Δ ${mb(held.rss - before.rss)}`,
  );
  const sendHeap = Math.max(...results.map((r) => Math.abs(r.heap)));
  console.log(
    `ratios: heap growth of a send / heap of the loaded recipients = ${(sendHeap / Math.max(1, held.heap - before.heap)).toFixed(3)}; ` +
      `second send / first send time = ${(results[1].ms / results[0].ms).toFixed(2)}; first send / target = ${(results[0].ms / (TARGET_S * 1000)).toFixed(2)}`,
  );
  loaded.length = 0;
} catch (error) {
  failed = true;
  const cause = error instanceof Error && error.cause instanceof Error ? ` — cause: ${error.cause.message}` : "";
  console.error(`error: ${error instanceof Error ? error.message.split("\n")[0].slice(0, 200) : String(error)}${cause}`);
} finally {
  await closeDb();
  if (process.env.BENCH_KEEP) console.log(`kept database ${dbName} (BENCH_KEEP): drop it by hand`);
  else await withAdmin((s) => s.unsafe(`drop database if exists ${dbName} with (force)`));
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) {
  console.error("FAILED: the send did not leave exactly one queue row per distinct confirmed subscriber (see above).");
  process.exit(1);
}

async function withAdmin<T>(fn: (s: postgres.Sql) => Promise<T>) {
  const s = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(s);
  } finally {
    await s.end();
  }
}

// npm run bench:sms-replies — the SMS replies screen and its filters with 1,000,000 replies
// (target: < 100 ms server time per page), and the SMS opt-outs screen with 200,000 numbers.
//
// On a throwaway database on DATABASE_URL's server (bench/queue-common.ts), dropped at the end.
// Prints figures from one run; it never fails on timing.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { throwawayDatabase, timeRuns } from "./queue-common";

const REPLIES = Number(process.env.BENCH_REPLIES ?? 1_000_000);
const OPT_OUTS = Number(process.env.BENCH_OPT_OUTS ?? 200_000);
const SUBSCRIPTIONS = 50_000;
const ANSWER_MESSAGES = 200;
const WARMUP = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const TARGET_MS = 100;

const bench = await throwawayDatabase();
const { db: database, rows } = await import("@/db/client");
const { sites } = await import("@/db/schema");
const { enqueue } = await import("@/lib/queue/enqueue");
const { listReplies, parseReplyFilters, repliesWhere } = await import("@/lib/sms/replies");
const { listOptOuts, optOutsWhere, parseOptOutFilters } = await import("@/lib/sms/opt-out-list");
const { sql } = await import("drizzle-orm");

let exitCode = 0;
try {
  const version = rows<{ v: string }>(await database.execute(sql`select current_setting('server_version') as v`))[0].v;
  console.log(`chora bench: SMS replies and opt-outs lists — ${REPLIES.toLocaleString("en")} replies, ${OPT_OUTS.toLocaleString("en")} opt-outs`);
  console.log(
    `PostgreSQL ${version}, database ${bench.name}; node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );

  // Two sites: a large one (90 % of the replies) and a small one, rows interleaved by id; 2 % of
  // the replies (all on the large site) were answered.
  const [big, small] = (
    await database
      .insert(sites)
      .values([
        { domain: "big.example.org", name: "Big", isDefault: true, defaultCountry: "FR" },
        { domain: "small.example.org", name: "Small", defaultCountry: "FR" },
      ])
      .returning({ id: sites.id })
  ).map((s) => s.id);

  const t0 = performance.now();
  // Answers: real messages with a queue row each, for the "how did the answer go" lookup.
  const answerIds: number[] = [];
  for (let i = 0; i < ANSWER_MESSAGES; i++) {
    const { messageId } = await enqueue({
      siteId: big,
      message: { kind: "sms_reply", subject: "", text: `Answer ${i}`, fromName: "", fromAddress: "" },
      recipients: [{ address: `answer-${i}@example.org` }],
    });
    answerIds.push(messageId);
  }
  // Numbers: +336 then 8 digits spread over the range, so prefixes select realistic shares.
  const phone = (g: string) => sql.raw(`'+336' || lpad(((${g}::bigint * 7919) % 100000000)::text, 8, '0')`);
  await database.execute(sql`
    insert into sms_replies (site_id, phone, text, action, answers, answer_message_id, received_at)
    select case when g % 10 = 0 then ${small}::int else ${big}::int end, ${phone("g")}, 'Reply number ' || g || ': can I come with a friend?',
           case when g % 33 = 0 then 'opt_out' when g % 101 = 0 then 'opt_in' end,
           case when g % 50 = 7 then 1 else 0 end,
           case when g % 50 = 7 then (array[${sql.raw(answerIds.join(","))}]::bigint[])[1 + (g / 50) % ${ANSWER_MESSAGES}::int] end,
           now() - make_interval(secs => ${REPLIES}::int - g)
      from generate_series(1, ${REPLIES}::int) g`);
  await database.execute(sql`
    insert into subscriptions (site_id, group_id, email, name, phone, status, source)
    select ${big}::int, 1, 'person' || g || '@example.org', 'Person ' || g, ${phone("(g * 20)")}, 'confirmed', 'screen'
      from generate_series(1, ${SUBSCRIPTIONS}::int) g`);
  await database.execute(sql`
    insert into sms_opt_outs (site_id, phone, keyword, source, received_at)
    select case when g % 10 = 0 then ${small}::int else ${big}::int end, ${phone("(g * 3)")}, 'STOP',
           (array['reply','provider','admin'])[1 + g % 3], now() - make_interval(secs => ${OPT_OUTS}::int - g)
      from generate_series(1, ${OPT_OUTS}::int) g
    on conflict do nothing`);
  await database.execute(sql`analyze`);
  console.log(`data: ${fmt(performance.now() - t0)} ms (generate_series inserts, then analyze)`);

  const count = async (where: ReturnType<typeof repliesWhere>) =>
    rows<{ n: number }>(await database.execute(sql`select count(*)::int as n from sms_replies where ${where}`))[0].n;
  const replies = (query: Record<string, string>, siteId = big) => {
    const { filters } = parseReplyFilters(new URLSearchParams(query), "FR");
    const where = repliesWhere(siteId, filters);
    return { where, run: async () => (await listReplies(where, { siteId, after: filters.after })).rows.length };
  };
  const deepAfter = rows<{ id: number }>(await database.execute(sql`select id from sms_replies where site_id = ${big} order by id limit 1 offset 60`))[0].id;

  const results: Result[] = [];
  const scenario = async (label: string, query: Record<string, string>, siteId = big) => {
    const { where, run } = replies(query, siteId);
    results.push({ ...(await measure(run)), label, note: `${(await count(where)).toLocaleString("en")} match` });
  };
  await scenario("replies, first page", {});
  await scenario("replies, last pages (keyset after)", { after: String(deepAfter) });
  await scenario('replies, number starts "06 12"', { q: "06 12" });
  await scenario('replies, number starts "+33 6 1234"', { q: "+33 6 1234" });
  await scenario("replies, kind STOP", { kind: "opt_out" });
  await scenario("replies, kind START", { kind: "opt_in" });
  await scenario("replies, answered", { answered: "yes" });
  await scenario("replies, not answered", { answered: "no" });
  await scenario("replies, STOP and answered", { kind: "opt_out", answered: "yes" });
  await scenario("replies, small site, first page", {}, small);

  const optOuts = async (label: string, query: Record<string, string>) => {
    const { filters } = parseOptOutFilters(new URLSearchParams(query), "FR");
    const where = optOutsWhere(big, filters);
    const n = rows<{ n: number }>(await database.execute(sql`select count(*)::int as n from sms_opt_outs where ${where}`))[0].n;
    results.push({ ...(await measure(async () => (await listOptOuts(where, { after: filters.after })).rows.length)), label, note: `${n.toLocaleString("en")} match` });
  };
  await optOuts("opt-outs, first page", {});
  await optOuts('opt-outs, number starts "06 12"', { q: "06 12" });
  await optOuts("opt-outs, origin: added by hand", { source: "admin" });

  printTable(results);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await bench.drop();
}
process.exit(exitCode);

type Result = { label: string; median: number; p95: number; rows: number; note: string };

async function measure(fn: () => Promise<number>): Promise<Omit<Result, "label" | "note">> {
  const { median, p95, rows } = await timeRuns(fn, WARMUP, RUNS);
  return { median, p95, rows };
}

function printTable(results: Result[]) {
  const head = ["scenario", "median ms", "p95 ms", "rows", "median/100 ms", "matches"];
  const body = results.map((r) => [r.label, fmt(r.median), fmt(r.p95), String(r.rows), (r.median / TARGET_MS).toFixed(3), r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(`\n${WARMUP} warm-up runs, then ${RUNS} timed runs per scenario; one page of 50 (+1); target ${TARGET_MS} ms server time\n`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 || i === 5 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const row of body) console.log(line(row));
}

function fmt(ms: number) {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}

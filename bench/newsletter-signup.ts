// npx tsx bench/newsletter-signup.ts — POST /api/newsletter/subscribe at a fixed rate against a
// running production server on PostgreSQL, then a check in the database that no subscription
// was lost or doubled. See docs/newsletter-benchmarks.md for how to start the server.
//
//   BENCH_URL      the server (default http://localhost:3100); its host must pick the site to use
//   DATABASE_URL   the server's own database (required: the bench reads it to check the result)
//   BENCH_RATE     requests per second (default 200), BENCH_SECONDS (default 10)
//   BENCH_REPEATS  share of requests that reuse an earlier address (default 0.1)
//
// Every request comes from its own X-Forwarded-For address, so the per-IP limit (10 per 10
// minutes) never applies. Open loop: requests leave on schedule whether or not earlier ones
// have answered, so a slow server shows as latency, not as a lower offered rate. Prints figures;
// never fails on timing. Exits 1 if a subscription is missing, doubled or unexpected.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";

const BASE = (process.env.BENCH_URL ?? "http://localhost:3100").replace(/\/$/, "");
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 0.1);
const HONEYPOTS = 0.02;
const GROUPS = [1, 2, 3];
if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to the running server's database (the bench checks the subscriptions it wrote).");
  process.exit(2);
}
const sql = postgres(process.env.DATABASE_URL, { max: 2, onnotice: () => {} });
const run = randomBytes(4).toString("hex");
const sentStatus: number[] = [];

let exitCode = 0;
try {
  // The site the server answers for BENCH_URL's host (the default site for localhost) needs groups.
  const host = new URL(BASE).hostname;
  const [site] = await sql<{ id: number; name: string }[]>`
    select id, name from sites where domain = ${host} or is_default order by (domain = ${host}) desc, id limit 1`;
  if (!site) throw new Error("No site in this database: is DATABASE_URL the server's?");
  for (const id of GROUPS) {
    await sql`insert into translation_overrides (site_id, locale, key, value)
              values (${site.id}, 'en', ${`signup_opt${id}`}, ${`Bench group ${id}`}) on conflict do nothing`;
  }

  const total = Math.round(RATE * SECONDS);
  const rand = mulberry32(7);
  const sent: { email: string; groups: number[]; honeypot: boolean; json: boolean }[] = [];
  for (let i = 0; i < total; i++) {
    const repeat = i > 20 && rand() < REPEATS;
    const people = sent.filter((s) => !s.honeypot);
    const email = repeat ? people[Math.floor(rand() * people.length)].email : `nl-${run}-${i}@example.org`;
    const groups = GROUPS.filter(() => rand() < 0.5);
    if (groups.length === 0) groups.push(GROUPS[Math.floor(rand() * GROUPS.length)]);
    const honeypot = !repeat && rand() < HONEYPOTS;
    sent.push({ email: honeypot ? `trap-${run}-${i}@example.org` : email, groups, honeypot, json: i % 2 === 0 });
  }

  console.log(`chora bench: newsletter signup — POST ${BASE}/api/newsletter/subscribe, ${RATE} req/s for ${SECONDS} s (${total} requests)`);
  console.log(
    `site ${site.id} "${site.name}"; ${Math.round(REPEATS * 100)} % repeated addresses, ${HONEYPOTS * 100} % honeypot fills, half JSON / half form-encoded; ` +
      `node ${process.version}, ${os.cpus().length} cores (server and bench share them), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );

  const results: { status: number; ms: number; lateMs: number }[] = [];
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(post(i, performance.now() - due));
  }
  const offeredMs = performance.now() - t0;
  await Promise.all(inflight);
  const elapsedMs = performance.now() - t0;

  async function post(i: number, lateMs: number) {
    const r = sent[i];
    const fields = { email: r.email, groups: r.groups, locale: "en", ...(r.honeypot ? { website: "http://spam.example" } : {}) };
    const body = r.json
      ? JSON.stringify(fields)
      : new URLSearchParams([["email", r.email], ["locale", "en"], ...r.groups.map((g) => ["groups", String(g)]), ...(r.honeypot ? [["website", "x"]] : [])]).toString();
    const start = performance.now();
    let status = 0;
    try {
      const res = await fetch(`${BASE}/api/newsletter/subscribe`, {
        method: "POST",
        headers: {
          "content-type": r.json ? "application/json" : "application/x-www-form-urlencoded",
          "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          "user-agent": "chora-bench",
        },
        body,
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = -1;
    }
    results.push({ status, ms: performance.now() - start, lateMs });
    sentStatus[i] = status;
  }

  const statuses = new Map<number, number>();
  for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  console.log(
    `offered: ${total} requests in ${(offeredMs / 1000).toFixed(2)} s = ${(total / (offeredMs / 1000)).toFixed(1)} req/s; ` +
      `completed: ${results.length} in ${(elapsedMs / 1000).toFixed(2)} s = ${(results.length / (elapsedMs / 1000)).toFixed(1)} req/s ` +
      `(achieved/target ${(results.length / (elapsedMs / 1000) / RATE).toFixed(2)})`,
  );
  console.log(`statuses: ${[...statuses].map(([s, n]) => `${s === -1 ? "network error" : s} × ${n}`).join(", ")}`);
  console.log(
    `latency ms: p50 ${q(0.5).toFixed(1)}, p90 ${q(0.9).toFixed(1)}, p99 ${q(0.99).toFixed(1)}, max ${ms[ms.length - 1].toFixed(1)}; ` +
      `sender late by > 5 ms: ${results.filter((r) => r.lateMs > 5).length}`,
  );

  // The database: exactly one row per distinct (group, address) accepted, nothing for honeypots.
  const expected = new Set<string>();
  for (let i = 0; i < total; i++) {
    if (sent[i].honeypot || sentStatus[i] !== 200) continue;
    for (const g of sent[i].groups) expected.add(`${g}|${sent[i].email}`);
  }
  const stored = await sql<{ group_id: number; email: string; n: number }[]>`
    select group_id, email, count(*)::int as n from subscriptions
     where site_id = ${site.id} and (email like ${`nl-${run}-%`} or email like ${`trap-${run}-%`})
     group by group_id, email`;
  const storedKeys = new Set(stored.map((s) => `${s.group_id}|${s.email}`));
  const doubled = stored.filter((s) => s.n > 1).length;
  const lost = [...expected].filter((k) => !storedKeys.has(k)).length;
  const unexpected = [...storedKeys].filter((k) => !expected.has(k)).length;
  const trapRows = stored.filter((s) => s.email.startsWith("trap-")).length;
  const rowsTotal = stored.reduce((a, s) => a + s.n, 0);
  const distinctEmails = new Set(sent.filter((s, i) => !s.honeypot && sentStatus[i] === 200).map((s) => s.email)).size;
  const [{ mails }] = await sql<{ mails: number }[]>`
    select count(*)::int as mails from queue q join outbound_messages m on m.id = q.message_id
     where q.site_id = ${site.id} and m.kind = 'subscription_confirm' and q.recipient like ${`nl-${run}-%`}`;
  console.log(
    `database: ${rowsTotal} subscription rows for ${expected.size} distinct (group, address) pairs sent → lost ${lost}, doubled ${doubled}, unexpected ${unexpected}; ` +
      `honeypot rows ${trapRows}; confirmation emails queued ${mails} for ${distinctEmails} addresses`,
  );
  if (lost || doubled || unexpected || trapRows || rowsTotal !== expected.size) exitCode = 1;
  if (results.some((r) => r.status !== 200)) console.log("note: non-200 answers above are not counted as expected subscriptions");
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await sql.end();
}
process.exit(exitCode);

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

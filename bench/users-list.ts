// npm run bench:users — the management list of users with 100,000 users (target: < 100 ms server time).
//
// PGlite in a temporary folder by default; with DATABASE_URL set, a throwaway database is created on
// that server and dropped at the end. Prints figures from one run; it never fails on timing.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { timeRuns } from "./queue-common";

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SITES = 3;
const SITE_SHARES = [0.6, 0.3, 0.1]; // a large, a medium and a small site, interleaved by id
const BATCH = 2_000;
const WARMUP = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const TARGET_MS = 100;
const PAGE = 50; // listUsers' default page size

const FIRST_NAMES = [
  "Marie", "Jean", "Pierre", "Michel", "Jeanne", "Philippe", "Nathalie", "Isabelle", "Alain", "Catherine",
  "Sylvie", "Nicolas", "Christophe", "Martine", "Patrick", "Sophie", "Julien", "Camille", "Léa", "Hugo",
  "Chloé", "Lucas", "Manon", "Thomas", "Émilie", "Antoine", "Sarah", "Maxime", "Inès", "Louis",
  "Jean-Pierre", "Marc", "Anne", "Paul", "Claire", "Yasmine", "Mehdi", "Fatima", "Karim", "Zoé",
  "Océane", "Théo", "Baptiste", "Margaux", "Romain", "Élodie", "Quentin", "Aurélie", "Guillaume", "Laura",
];
const LAST_NAMES = [
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
  "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
  "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
  "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
  "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
];
const MAIL_DOMAINS = ["example.org", "mail.example.net", "assoc.example.fr", "example.com"];

// The app's env module writes DATA_DIR/auth-secret when it runs embedded: keep that out of the repo.
const tmp = mkdtempSync(path.join(os.tmpdir(), "chora-bench-users-"));
process.env.DATA_DIR = tmp;

const { openDatabase, rows } = await import("@/db/client");
const { runMigrations } = await import("@/db/migrate");
const schema = await import("@/db/schema");
const { listUsers, userListColumns } = await import("@/lib/users/list");
const { hashPassword } = await import("@/lib/auth/password");
const { and, desc, eq, sql } = await import("drizzle-orm");
const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
const { drizzle: drizzlePostgres } = await import("drizzle-orm/postgres-js");
const { sites, users } = schema;

type Handle = ReturnType<typeof openDatabase>;
const GLOBAL_KEY = Symbol.for("chora.db");
const install = (h: Handle) => ((globalThis as Record<symbol, unknown>)[GLOBAL_KEY] = h);

// ---------------------------------------------------------------------------------------------
// Database: PGlite in a temp folder, or a throwaway database on DATABASE_URL's server.

const adminUrl = process.env.DATABASE_URL;
let dropName: string | null = null;
let handle: Handle;
const tOpen = performance.now();
if (adminUrl) {
  dropName = `chora_bench_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (s) => s.unsafe(`create database ${dropName}`));
  const url = new URL(adminUrl);
  url.pathname = `/${dropName}`;
  handle = openDatabase({ url: url.toString() });
} else {
  handle = openDatabase({ pgliteDir: path.join(tmp, "pglite") });
}
const database = handle.db;

let exitCode = 0;
try {
  await runMigrations(database, handle.driver);
  const openMs = performance.now() - tOpen;
  const serverVersion = rows<{ v: string }>(await database.execute(sql`select current_setting('server_version') as v`))[0].v;
  const collation = rows<{ c: string }>(await database.execute(sql`select datcollate as c from pg_database where datname = current_database()`))[0]?.c;
  console.log(`chora bench: users list — ${USERS.toLocaleString("en")} users over ${SITES} sites (${SITE_SHARES.map((x) => `${x * 100} %`).join(" / ")})`);
  console.log(
    `driver: ${handle.driver === "pglite" ? `PGlite (PostgreSQL ${serverVersion}) in ${tmp}` : `PostgreSQL ${serverVersion}, database ${dropName}`}` +
      `, collation ${collation}; node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  console.log(`open + migrate: ${fmt(openMs)} ms`);

  // -------------------------------------------------------------------------------------------
  // Data: 100,000 users over 3 sites, ids interleaved between sites, one shared password hash.

  const siteRows = await database
    .insert(sites)
    .values(Array.from({ length: SITES }, (_, i) => ({ domain: `site${i + 1}.example.org`, name: `Site ${i + 1}`, isDefault: i === 0 })))
    .returning({ id: sites.id });
  const siteIds = siteRows.map((s) => s.id);
  const passwordHash = await hashPassword("benchmark password");
  const rand = mulberry32(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const start = Date.now() - 3 * 365 * 86_400_000;
  const tInsert = performance.now();
  for (let done = 0; done < USERS; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, USERS - done) }, (_, k) => {
      const i = done + k;
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const when = new Date(start + Math.floor((i / USERS) * 3 * 365 * 86_400_000));
      return {
        siteId: siteIds[pickSite(rand())],
        email: `${ascii(first)}.${ascii(last)}.${i}@${pick(MAIL_DOMAINS)}`,
        name: `${first} ${last}`,
        passwordHash,
        role: i % 997 === 0 ? ("admin" as const) : ("member" as const),
        disabledAt: i % 50 === 0 ? when : null,
        createdAt: when,
        updatedAt: when,
      };
    });
    await database.insert(users).values(batch);
  }
  const insertMs = performance.now() - tInsert;
  const tAnalyze = performance.now();
  await database.execute(sql`analyze`);
  console.log(
    `insert: ${fmt(insertMs)} ms (${Math.round(USERS / (insertMs / 1000)).toLocaleString("en")} rows/s, batches of ${BATCH}); analyze: ${fmt(performance.now() - tAnalyze)} ms`,
  );

  install(handle);

  // -------------------------------------------------------------------------------------------
  // Scenarios, as the management screen calls listUsers.

  const site = siteIds[0];
  const small = siteIds[SITES - 1];
  const smallCount = count(await database.execute(sql`select count(*)::int as n from users where site_id = ${small}`));
  const siteCount = count(await database.execute(sql`select count(*)::int as n from users where site_id = ${site}`));
  // Keyset: the id after which exactly one page (plus the look-ahead row) remains for the site.
  const deepOffset = siteCount - PAGE;
  const deepAfter = rows<{ id: number }>(
    await database.execute(sql`select id from users where site_id = ${site} order by id desc offset ${deepOffset - 1} limit 1`),
  )[0].id;
  const allDeepOffset = USERS - PAGE;
  const allDeepAfter = rows<{ id: number }>(await database.execute(sql`select id from users order by id desc offset ${allDeepOffset - 1} limit 1`))[0].id;
  // One real address for the "look someone up by email" case.
  const someone = rows<{ email: string }>(await database.execute(sql`select email from users where site_id = ${site} order by id limit 1 offset ${Math.floor(siteCount * 0.37)}`))[0].email;

  const searches = {
    email: "marie.d", // a first name and a letter: ~0.2 % of the users
    name: "jean", // a common first-name prefix (Jean, Jeanne, Jean-Pierre): ~6 % of the users
    exact: someone.slice(0, someone.indexOf("@")), // one person by the start of their address
    none: "zzqx", // a typo: nothing matches
  };
  const matches = async (q: string, siteId = site) =>
    count(
      await database.execute(
        sql`select count(*)::int as n from users where site_id = ${siteId} and (email like ${q + "%"} or lower(name) like ${q + "%"})`,
      ),
    );

  const results: Result[] = [];
  const run = async (label: string, fn: () => Promise<number>, note = "") => {
    const r = await measure(label, fn, note);
    results.push(r);
    return r;
  };
  const list = (o: Parameters<typeof listUsers>[0]) => async () => (await listUsers(o)).users.length;

  await run("site, first page", list({ siteId: site }), `${siteCount.toLocaleString("en")} users in the site`);
  const keysetDeep = await run("site, deep page (keyset after)", list({ siteId: site, after: deepAfter }), `rows ${deepOffset + 1}–${siteCount}`);
  // "Previous page" from deep down: the same index, read the other way (lib/paging.ts).
  await run("site, deep page back (keyset before)", list({ siteId: site, before: deepAfter }), `rows ${deepOffset - PAGE}–${deepOffset - 1}`);
  const offsetDeep = await run(
    "site, deep page (OFFSET, contrast)",
    async () => (await offsetPage(database, site, deepOffset)).length,
    `offset ${deepOffset.toLocaleString("en")}`,
  );
  await run(`search email prefix "${searches.email}"`, list({ siteId: site, q: searches.email }), `${await matches(searches.email)} matches`);
  await run(`search name prefix "${searches.name}"`, list({ siteId: site, q: searches.name }), `${await matches(searches.name)} matches`);
  await run(`search one address "${searches.exact}"`, list({ siteId: site, q: searches.exact }), `${await matches(searches.exact)} match`);
  await run(`search, no match "${searches.none}"`, list({ siteId: site, q: searches.none }), `${await matches(searches.none)} matches`);
  await run("small site, first page", list({ siteId: small }), `${smallCount.toLocaleString("en")} users in the site`);
  await run(`small site, search name prefix "${searches.name}"`, list({ siteId: small, q: searches.name }), `${await matches(searches.name, small)} matches`);
  await run("all sites, first page", list({ siteId: null }), `${USERS.toLocaleString("en")} users`);
  await run("all sites, deep page (keyset)", list({ siteId: null, after: allDeepAfter }), `rows ${allDeepOffset + 1}–${USERS}`);
  const admins = count(await database.execute(sql`select count(*)::int as n from users where site_id = ${site} and role = 'admin'`));
  const disabled = count(await database.execute(sql`select count(*)::int as n from users where site_id = ${site} and disabled_at is not null`));
  await run("site, role filter: administrators", list({ siteId: site, role: "admin" }), `${admins} of ${siteCount.toLocaleString("en")}`);
  await run("all sites, role filter: administrators", list({ siteId: null, role: "admin" }), `${Math.ceil(USERS / 997)} of ${USERS.toLocaleString("en")}`);
  await run("site, status filter: disabled", list({ siteId: site, status: "disabled" }), `${disabled.toLocaleString("en")} of ${siteCount.toLocaleString("en")}`);
  await run("site, disabled administrators", list({ siteId: site, role: "admin", status: "disabled" }), "role and status together");

  // Same rows either way: the contrast compares like with like.
  const a = (await listUsers({ siteId: site, after: deepAfter })).users.map((u) => u.id);
  const b = (await offsetPage(database, site, deepOffset)).slice(0, PAGE).map((u) => u.id);
  if (a.join() !== b.join()) throw new Error("keyset and OFFSET deep pages differ: the contrast is meaningless");

  printTable(results);
  console.log(
    `\nkeyset/OFFSET at offset ${deepOffset.toLocaleString("en")}: ${(keysetDeep.median / offsetDeep.median).toFixed(3)} ` +
      `(OFFSET is ${(offsetDeep.median / keysetDeep.median).toFixed(1)}× slower by median)`,
  );

  // -------------------------------------------------------------------------------------------
  // Plans: the exact SQL listUsers sends, captured with a logging Drizzle over the same client.

  for (const [label, options] of [
    ["site, first page", {}],
    ["site, deep page back (keyset before)", { before: deepAfter }],
    [`email prefix "${searches.email}"`, { q: searches.email }],
    [`name prefix "${searches.name}"`, { q: searches.name }],
    [`no match "${searches.none}"`, { q: searches.none }],
  ] as const) {
    const captured = await captureSql(handle, () => listUsers({ siteId: site, ...options }));
    const plan = rows<Record<string, string>>(await database.execute(sql.raw(`explain (analyze, costs off) ${inline(captured.sql, captured.params)}`)));
    console.log(`\nEXPLAIN ANALYZE — ${label}:`);
    for (const line of plan) console.log(`  ${Object.values(line)[0]}`);
  }

  if (handle.driver === "postgres") {
    // postgres-js sends named prepared statements: after five runs of the same SQL the server may
    // switch to a generic plan, in which `like $n` cannot use a prefix index. Show what it picks
    // (the timed runs above already went through such statements) and what a generic plan costs.
    const client = (database as unknown as { $client: postgres.Sql }).$client;
    for (const [label, q] of [
      [`name prefix "${searches.name}"`, searches.name],
      [`no match "${searches.none}"`, searches.none],
    ] as const) {
      const captured = await captureSql(handle, () => listUsers({ siteId: site, q }));
      const reserved = await client.reserve();
      try {
        const args = captured.params.map(literal).join(", ");
        await reserved.unsafe(`prepare bench_q as ${captured.sql}`);
        for (let i = 0; i < 6; i++) await reserved.unsafe(`execute bench_q(${args})`);
        const chosen = await reserved.unsafe(`explain (analyze, costs off) execute bench_q(${args})`);
        console.log(`\nEXPLAIN ANALYZE — ${label} as a prepared statement after 6 executions (plan_cache_mode=auto):`);
        for (const line of chosen) console.log(`  ${Object.values(line)[0]}`);
        await reserved.unsafe("set plan_cache_mode = force_generic_plan");
        const generic = await reserved.unsafe(`explain (analyze, costs off) execute bench_q(${args})`);
        console.log(`\nEXPLAIN ANALYZE — ${label}, generic plan forced:`);
        for (const line of generic) console.log(`  ${Object.values(line)[0]}`);
        await reserved.unsafe("reset plan_cache_mode");
        await reserved.unsafe("deallocate bench_q");
      } finally {
        reserved.release();
      }
    }
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await handle.close();
  if (adminUrl && dropName) await withAdmin(adminUrl, (s) => s.unsafe(`drop database if exists ${dropName} with (force)`));
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);

// ---------------------------------------------------------------------------------------------

type Result = { label: string; median: number; p95: number; min: number; rows: number; note: string };

async function measure(label: string, fn: () => Promise<number>, note: string): Promise<Result> {
  const { median, p95, min, rows } = await timeRuns(fn, WARMUP, RUNS);
  return { label, median, p95, min, rows, note };
}

function pickSite(r: number) {
  let acc = 0;
  for (let i = 0; i < SITE_SHARES.length; i++) if (r < (acc += SITE_SHARES[i])) return i;
  return SITE_SHARES.length - 1;
}

function printTable(results: Result[]) {
  const head = ["scenario", "median ms", "p95 ms", "min ms", "rows", "median/100 ms", "notes"];
  const body = results.map((r) => [r.label, fmt(r.median), fmt(r.p95), fmt(r.min), String(r.rows), `${(r.median / TARGET_MS).toFixed(3)}`, r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(`\n${WARMUP} warm-up runs, then ${RUNS} timed runs per scenario; page size ${PAGE}; target ${TARGET_MS} ms server time\n`);
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 || i === 6 ? `:${"-".repeat(w + 1)}` : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const row of body) console.log(line(row));
}

/** The deep page the way OFFSET pagination would fetch it: same columns, join, order and size as listUsers. */
function offsetPage(database: Handle["db"], siteId: number, offset: number) {
  return database
    .select(userListColumns)
    .from(users)
    .innerJoin(sites, eq(sites.id, users.siteId))
    .where(and(eq(users.siteId, siteId)))
    .orderBy(desc(users.id))
    .limit(PAGE + 1)
    .offset(offset);
}

/** Runs fn with a Drizzle instance that logs, over the same client, and returns the last statement. */
async function captureSql(h: Handle, fn: () => Promise<unknown>) {
  let captured = { sql: "", params: [] as unknown[] };
  const logger = { logQuery: (query: string, params: unknown[]) => void (captured = { sql: query, params }) };
  const client = (h.db as unknown as { $client: never }).$client;
  const logging = h.driver === "pglite" ? drizzlePglite(client, { schema, casing: "snake_case", logger }) : drizzlePostgres(client, { schema, casing: "snake_case", logger });
  install({ ...h, db: logging as unknown as Handle["db"] });
  try {
    await fn();
  } finally {
    install(h);
  }
  return captured;
}

/** Inlines $n parameters as SQL literals so EXPLAIN sees the values (a custom plan, as the app gets). */
function inline(text: string, params: unknown[]) {
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

function literal(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return "null";
  return `'${String(value).replace(/'/g, "''")}'`;
}

function count(result: unknown) {
  return rows<{ n: number }>(result)[0].n;
}

async function withAdmin<T>(url: string, fn: (s: postgres.Sql) => Promise<T>) {
  const s = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(s);
  } finally {
    await s.end();
  }
}

function fmt(ms: number) {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}

function ascii(s: string) {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, "-");
}

/** Small seeded PRNG: the same data set on every run. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// npx tsx bench/sms-pg-cost.ts — what each part of an SMS's record costs PostgreSQL while the
// queue drains (issue 5's figure: the drain must reach 0.8 of a bare smpp loop, and PostgreSQL
// shares the machine's cores with the runner and the SMSC). Drains 10,000 SMS through runQueue
// with an instant transport (bench/sms-drain.ts's "dry" variant) against the schema as shipped,
// and against the same schema with one part taken away: the history's foreign-key check, the
// history rows, the queue screen's indexes, the status counters, then all four at once. Each
// variant is measured right after a run of the schema as shipped (A/B, BENCH_ROUNDS times), in
// one throwaway database (DATABASE_URL, dropped at the end); nothing is changed in the app's own
// databases. Only the CPU of this database's backends and of the server's own processes is
// counted (bench/queue-common.ts), so tests running beside it are not.
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { cpuMeter, fmt, summarize, throwawayDatabase } from "./queue-common";

const N = Number(process.env.BENCH_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const database = await throwawayDatabase();
const { db, rows } = await import("@/db/client");
const { sites } = await import("@/db/schema");
const { enqueue } = await import("@/lib/queue/enqueue");
const { runQueue } = await import("@/lib/queue/run");
type SmsTransport = import("@/lib/sms/transport").SmsTransport;

/** The queue screen's indexes (db/schema/queue.ts): every one is written by each change of status. */
const LIST_INDEXES = [
  "queue_site_id_idx",
  "queue_site_status_id_idx",
  "queue_site_recipient_idx",
  "queue_site_queued_at_id_idx",
  "queue_sms_site_id_idx",
  "queue_sms_site_status_id_idx",
  "queue_message_id_idx",
];

const definitions = async (query: ReturnType<typeof sql>) => rows<{ def: string }>(await db.execute(query)).map((r) => r.def);

/** A part of the record taken away: returns the statements that put it back. */
type Removal = () => Promise<string[]>;
const removals: Record<string, Removal> = {
  "no foreign-key check on history rows": async () => {
    const defs = await definitions(sql`select 'alter table queue_events add constraint ' || conname || ' ' || pg_get_constraintdef(oid) as def
      from pg_constraint where conrelid = 'queue_events'::regclass and contype = 'f'`);
    await db.execute(sql`alter table queue_events drop constraint queue_events_queue_id_queue_id_fk`);
    return defs;
  },
  "no history rows": async () => {
    // A trigger that drops each row before it is written (a rule cannot: history rows are written
    // by data-modifying WITH clauses).
    await db.execute(sql.raw(`create or replace function bench_skip_row() returns trigger language plpgsql as $$ begin return null; end $$`));
    await db.execute(sql.raw(`create trigger bench_no_history before insert on queue_events for each row execute function bench_skip_row()`));
    return ["drop trigger bench_no_history on queue_events"];
  },
  "no queue-screen indexes (7)": async () => {
    const defs = await definitions(sql`select indexdef as def from pg_indexes where tablename = 'queue' and indexname = any(${`{${LIST_INDEXES.join(",")}}`}::text[])`);
    for (const name of LIST_INDEXES) await db.execute(sql.raw(`drop index ${name}`));
    return defs;
  },
  "no status counters (triggers)": async () => {
    const defs = await definitions(sql`select pg_get_triggerdef(oid) as def from pg_trigger where tgrelid = 'queue'::regclass and not tgisinternal`);
    for (const def of defs) await db.execute(sql.raw(`drop trigger ${def.split(" ")[2]} on queue`));
    return defs;
  },
};
const allAtOnce: Removal = async () => {
  const restore: string[] = [];
  for (const remove of Object.values(removals)) restore.push(...(await remove()));
  return restore;
};

try {
  const [site] = await db.insert(sites).values({ domain: "bench.example.org", name: "Bench" }).returning();
  let round = 0;
  /** Queues N SMS, drains them with a transport that accepts at once; CPU per SMS in µs. */
  const drain = async () => {
    const tag = `r${++round}`;
    const { queued } = await enqueue({
      siteId: site.id,
      channel: "sms",
      message: { kind: "sms", subject: "", text: `Hello {{name}}, the meeting moves to 18:00 on Thursday. Reply STOP to opt out.`, fromName: "", fromAddress: "Bench" },
      recipients: Array.from({ length: N }, (_, i) => ({ address: `+3361${String(i).padStart(7, "0")}`, name: `Reader ${i}`, variables: { round: tag } })),
    });
    if (queued !== N) throw new Error(`queued ${queued} of ${N}`);
    // Dirty pages of the fill written now, not during the measured drain.
    await db.execute(sql`checkpoint`);
    let id = 0;
    const instant: SmsTransport = { kind: "smpp", send: async () => ({ providerMessageId: `${tag}-${++id}` }), close() {} };
    const t = performance.now();
    const meter = cpuMeter(process.pid);
    const s = await runQueue({ kind: "send", runner: "bench-pg-cost", sms: async () => instant });
    const ms = performance.now() - t;
    const cpu = meter();
    if (s.sent !== N) throw new Error(`sent ${s.sent} of ${N}`);
    return { rate: (N / ms) * 1000, postgres: (cpu.postgres / N) * 1e6, self: (cpu.self / N) * 1e6 };
  };
  await drain(); // warm-up: plans cached, the table's first pages in memory

  const results: { name: string; base: number[]; without: number[]; selfBase: number[]; selfWithout: number[] }[] = [];
  for (const [name, remove] of [...Object.entries(removals), ["all four at once", allAtOnce] as const]) {
    const r = { name, base: [] as number[], without: [] as number[], selfBase: [] as number[], selfWithout: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const base = await drain();
      const restore = await remove();
      const without = await drain();
      for (const statement of restore) await db.execute(sql.raw(statement));
      r.base.push(base.postgres);
      r.without.push(without.postgres);
      r.selfBase.push(base.self);
      r.selfWithout.push(without.self);
      console.log(`${name}: as shipped ${fmt(base.postgres)} µs (${fmt(base.rate)} SMS/s), without ${fmt(without.postgres)} µs (${fmt(without.rate)} SMS/s)`);
    }
    results.push(r);
  }
  const median = (xs: number[]) => summarize(xs).median;
  console.log(`\n${fmt(N)} SMS drained with an instant transport; PostgreSQL CPU per SMS (µs), median of ${ROUNDS} A/B pairs`);
  console.log(`${"".padEnd(40)} ${"as shipped".padStart(10)} ${"without".padStart(8)} ${"saved".padStart(6)}`);
  for (const r of results) {
    const [a, b] = [median(r.base), median(r.without)];
    console.log(`${r.name.padEnd(40)} ${fmt(a).padStart(10)} ${fmt(b).padStart(8)} ${fmt(a - b || 0).padStart(6)}`); // || 0: no "-0"
  }
  const all = results.at(-1)!;
  console.log(`\nthis process (the queue's own work, no SMPP): ${fmt(median(all.selfBase))} µs per SMS as shipped`);
} finally {
  await database.drop();
}

// npx tsx bench/queue-drain.ts — draining 20,000 queued emails into a loopback SMTP sink, against
// raw nodemailer sending the same 20,000 composed messages with the same pool (targets: queue/raw
// ≥ 0.8 and ≥ 1,000 msg/s). Raw nodemailer is used the plain way: one transporter on this thread,
// with the same options and TCP_NODELAY. It also prints where the CPU went per message (this
// process, the SMTP sink, PostgreSQL) from /proc. PostgreSQL only (DATABASE_URL): a throwaway database is created and
// dropped. The variants alternate over BENCH_ROUNDS rounds so a busy machine weighs on all of them
// alike; medians are compared. Prints figures from one run; it never fails on timing.
//
// Knobs: BENCH_MESSAGES (20000), BENCH_POOL (5 connections), BENCH_BATCH (QUEUE_BATCH_SIZE, 200),
// BENCH_ROUNDS (3). The queue keeps sendsInFlight() sends in flight (lib/queue/deliver.ts: 4 per
// connection); the "awaiting senders" variant feeds raw nodemailer with as many.
import net from "node:net";
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { cpuMeter, fmt, startSink, summarize, throwawayDatabase, type CpuSplit } from "./queue-common";

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const POOL = Number(process.env.BENCH_POOL ?? 5);
const BATCH = Number(process.env.BENCH_BATCH ?? 200); // the default QUEUE_BATCH_SIZE
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const database = await throwawayDatabase({ SMTP_POOL_SIZE: String(POOL), QUEUE_BATCH_SIZE: String(BATCH) });
const sink = await startSink();
const { db } = await import("@/db/client");
const { sites, queue, outboundMessages } = await import("@/db/schema");
const { enqueue } = await import("@/lib/queue/enqueue");
const { runQueue } = await import("@/lib/queue/run");
const { sendsInFlight } = await import("@/lib/queue/deliver");
const CONCURRENCY = sendsInFlight();
const { smtpOptions, smtpTransport } = await import("@/lib/mail/transport");
type EmailTransport = import("@/lib/mail/transport").EmailTransport;
const { composeEmail } = await import("@/lib/mail/compose");
const { asc, eq } = await import("drizzle-orm");

const content = {
  kind: "newsletter",
  subject: "News for {{name}}",
  text: "Hello {{name}}, this is issue {{n}}.\n\n" + "Lorem ipsum dolor sit amet. ".repeat(20),
  html: "<p>Hello {{name}}, this is issue {{n}}.</p>" + "<p>Lorem ipsum dolor sit amet.</p>".repeat(20),
  fromName: "Bench",
  fromAddress: "news@bench.example.org",
  headers: { "List-Unsubscribe": "<https://bench.example.org/u?e={{email}}>" },
};

/** Raw nodemailer: a pooled transporter on this thread, the options smtpTransport uses, TCP_NODELAY. */
function rawNodemailer(url: string) {
  const options = smtpOptions(url, POOL);
  return nodemailer.createTransport({
    ...options,
    getSocket(_o: unknown, callback: (err: Error | null, socket?: { connection: net.Socket }) => void) {
      const socket = net.connect({ host: options.host, port: options.port });
      socket.setNoDelay(true);
      callback(null, { connection: socket });
    },
  } as Parameters<typeof nodemailer.createTransport>[0]);
}

try {
  const [site] = await db.insert(sites).values({ domain: "bench.example.org", name: "Bench" }).returning();
  const fill = async (tag: string) => {
    const recipients = Array.from({ length: N }, (_, i) => ({ address: `${tag}.${i}@example.org`, name: `Reader ${i}`, variables: { n: String(i) } }));
    const t = performance.now();
    const { messageId, queued } = await enqueue({ siteId: site.id, message: content, recipients });
    if (queued !== N) throw new Error(`queued ${queued} of ${N}`);
    return { messageId, ms: performance.now() - t };
  };
  const expectSink = async (what: string) => {
    const s = await sink.stats();
    if (s.received !== N || s.distinct !== N) throw new Error(`${what}: the sink received ${s.received} (${s.distinct} distinct) of ${N}`);
    await sink.reset();
  };

  // The same composed messages for the raw runs, built once before any clock starts.
  const { messageId: rawId } = await fill("raw");
  const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, rawId));
  const mails = (await db.select().from(queue).where(eq(queue.messageId, rawId)).orderBy(asc(queue.id))).map((row) => composeEmail(message, row));
  await db.delete(queue).where(eq(queue.messageId, rawId));

  const cpu: Record<"queue" | "dry" | "raw" | "paced", CpuSplit[]> = { queue: [], dry: [], raw: [], paced: [] };
  const variants = {
    /** The queue: one runner, claim → send → record, as `npm run queue -- send` does. */
    queue: async (round: number) => {
      await fill(`q${round}`);
      const transport = smtpTransport(sink.url, POOL);
      const t = performance.now();
      const meter = cpuMeter(sink.pid);
      const s = await runQueue({ kind: "send", runner: "bench", transport });
      const ms = performance.now() - t;
      cpu.queue.push(meter());
      transport.close();
      if (s.sent !== N) throw new Error(`queue run sent ${s.sent} of ${N}`);
      await expectSink("queue");
      return ms;
    },
    /** The queue's own work alone (database + compose): a transport that accepts at once. */
    dry: async (round: number) => {
      await fill(`d${round}`);
      const instant: EmailTransport = { kind: "smtp", send: async (mail) => ({ providerMessageId: String(mail.messageId) }), close() {} };
      const t = performance.now();
      const meter = cpuMeter(sink.pid);
      const s = await runQueue({ kind: "send", runner: "bench-dry", transport: instant });
      const ms = performance.now() - t;
      cpu.dry.push(meter());
      if (s.sent !== N) throw new Error(`dry run sent ${s.sent} of ${N}`);
      return ms;
    },
    /** Raw nodemailer, every message handed to the pool at once (its best case). */
    raw: async () => {
      const transport = rawNodemailer(sink.url);
      const t = performance.now();
      const meter = cpuMeter(sink.pid);
      await Promise.all(mails.map((mail) => transport.sendMail(mail)));
      const ms = performance.now() - t;
      cpu.raw.push(meter());
      transport.close();
      await expectSink("raw");
      return ms;
    },
    /** Raw nodemailer, as many senders awaiting one message each as the queue keeps in flight. */
    paced: async () => {
      const transport = rawNodemailer(sink.url);
      let next = 0;
      const t = performance.now();
      const meter = cpuMeter(sink.pid);
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < mails.length) {
            const i = next++;
            await transport.sendMail(mails[i]);
          }
        }),
      );
      const ms = performance.now() - t;
      cpu.paced.push(meter());
      transport.close();
      await expectSink("paced");
      return ms;
    },
  };

  const samples: Record<keyof typeof variants, number[]> = { queue: [], dry: [], raw: [], paced: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const order = (round % 2 ? ["queue", "raw", "dry", "paced"] : ["raw", "queue", "paced", "dry"]) as (keyof typeof variants)[];
    for (const name of order) samples[name].push(await variants[name](round));
    console.log(`round ${round}: ` + order.map((name) => `${name} ${fmt((N / samples[name].at(-1)!) * 1000)} msg/s`).join(", "));
  }

  const rate = (name: keyof typeof variants) => (N / summarize(samples[name]).median) * 1000;
  const line = (label: string, name: keyof typeof variants) => console.log(`${label.padEnd(44)} ${fmt(summarize(samples[name]).median).padStart(7)} ms  ${fmt(rate(name)).padStart(6)} msg/s`);
  console.log(
    `\n${fmt(N)} messages, pool of ${POOL} SMTP connections (TCP_NODELAY), batch ${BATCH}; the queue keeps ${CONCURRENCY} sends in flight (sendsInFlight()); sink in its own process; median of ${ROUNDS}`,
  );
  line("queue: runQueue, one runner", "queue");
  line("queue with an instant transport (DB+compose)", "dry");
  line("raw nodemailer, all handed to the pool", "raw");
  line(`raw nodemailer, ${CONCURRENCY} awaiting senders`, "paced");
  console.log(`ratio queue/raw: ${fmt(rate("queue") / rate("raw"), 2)} (target ≥ 0.80); queue/raw with ${CONCURRENCY} awaiting senders: ${fmt(rate("queue") / rate("paced"), 2)}`);
  // CPU per message, median over the rounds of each part: what the queue adds, and where.
  const perMessage = (name: keyof typeof cpu, part: keyof CpuSplit) => (summarize(cpu[name].map((c) => c[part])).median / N) * 1e6;
  console.log(`\nCPU per message (µs, median)          ${"this process".padStart(13)} ${"SMTP sink".padStart(10)} ${"PostgreSQL".padStart(11)}`);
  for (const [name, label] of [["queue", "queue"], ["dry", "queue, instant transport"], ["raw", "raw nodemailer"], ["paced", "raw nodemailer, awaiting senders"]] as const) {
    console.log(`${label.padEnd(36)} ${fmt(perMessage(name, "self")).padStart(13)} ${fmt(perMessage(name, "sink")).padStart(10)} ${fmt(perMessage(name, "postgres")).padStart(11)}`);
  }
  console.log(`queue throughput: ${fmt(rate("queue"))} msg/s (target ≥ 1,000)`);
} finally {
  await sink.close();
  await database.drop();
}

// npx tsx bench/sms-drain.ts — draining 10,000 queued SMS into a loopback SMSC (the smpp
// package's server, in its own process) through runQueue and the SMPP transport, against a bare
// `smpp` client loop submitting the same texts to the same server with the same window, in the
// same run (target: queue/bare ≥ 0.8). PostgreSQL only (DATABASE_URL): a throwaway database is
// created and dropped. Variants alternate over BENCH_ROUNDS rounds; medians are compared.
//
// Knobs: BENCH_MESSAGES (10000), BENCH_WINDOW (outstanding submit_sm, SMS_WINDOW: 10),
// BENCH_ROUNDS (3), BENCH_RECEIPTS=1 (the SMSC also sends a delivery receipt per submit),
// BENCH_SMSC_DELAY_MS (0: the SMSC answers each submit_sm after this many ms, as a real one does).
import { fork } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import smpp from "smpp";
import { cpuMeter, fmt, summarize, throwawayDatabase, type CpuSplit } from "./queue-common";

const N = Number(process.env.BENCH_MESSAGES ?? 10_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const database = await throwawayDatabase({ SMS_WINDOW: String(WINDOW) });
const sink = fork(path.join(import.meta.dirname, "sms-sink.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const ask = <T>(message: string) =>
  new Promise<T>((resolve) => {
    sink.once("message", (reply) => resolve(reply as T));
    sink.send(message);
  });
const { url } = await new Promise<{ url: string }>((resolve) => sink.once("message", (m) => resolve(m as { url: string })));

const { db } = await import("@/db/client");
const { sites } = await import("@/db/schema");
const { enqueue } = await import("@/lib/queue/enqueue");
const { runQueue } = await import("@/lib/queue/run");
const { smppTransport } = await import("@/lib/sms/smpp");
type SmsTransport = import("@/lib/sms/transport").SmsTransport;

const number = (i: number) => `+3361${String(i).padStart(7, "0")}`;
const text = (i: number) => `Hello Reader ${i}, the meeting moves to 18:00 on Thursday. Reply STOP to opt out.`;

const expectSink = async (what: string) => {
  const s = await ask<{ received: number; distinct: number }>("stats");
  if (s.received !== N || s.distinct !== N) throw new Error(`${what}: the SMSC acknowledged ${s.received} (${s.distinct} distinct) of ${N}`);
  await ask("reset");
};

try {
  const [site] = await db.insert(sites).values({ domain: "bench.example.org", name: "Bench" }).returning();
  const fill = async (tag: string) => {
    const { queued } = await enqueue({
      siteId: site.id,
      channel: "sms",
      message: { kind: "sms", subject: "", text: `Hello {{name}}, the meeting moves to 18:00 on Thursday. Reply STOP to opt out.`, fromName: "", fromAddress: "Bench" },
      recipients: Array.from({ length: N }, (_, i) => ({ address: number(i), name: `Reader ${i}`, variables: { round: tag } })),
    });
    if (queued !== N) throw new Error(`queued ${queued} of ${N}`);
  };
  const cpu: Record<"queue" | "dry" | "bare", CpuSplit[]> = { queue: [], dry: [], bare: [] };
  const variants = {
    /** The queue: runQueue with the SMPP transport, as `npm run queue -- send` does. */
    queue: async (round: number) => {
      await fill(`q${round}`);
      const transport = smppTransport(url, { window: WINDOW });
      const t = performance.now();
      const meter = cpuMeter(sink.pid!);
      const s = await runQueue({ kind: "send", runner: "bench", sms: async () => transport });
      const ms = performance.now() - t;
      cpu.queue.push(meter());
      await transport.close();
      if (s.sent !== N) throw new Error(`queue run sent ${s.sent} of ${N}`);
      await expectSink("queue");
      return ms;
    },
    /** The queue's own work alone (claim, compose, record): an SMS transport that accepts at once. */
    dry: async (round: number) => {
      await fill(`d${round}`);
      let id = 0;
      const instant: SmsTransport = { kind: "smpp", send: async () => ({ providerMessageId: `dry-${round}-${++id}` }), close() {} };
      const t = performance.now();
      const meter = cpuMeter(sink.pid!);
      const s = await runQueue({ kind: "send", runner: "bench-dry", sms: async () => instant });
      const ms = performance.now() - t;
      cpu.dry.push(meter());
      if (s.sent !== N) throw new Error(`dry run sent ${s.sent} of ${N}`);
      return ms;
    },
    /** A bare smpp client: bind, then submit_sm with WINDOW outstanding, nothing else. */
    bare: async () => {
      const session = smpp.connect({ url });
      await new Promise<void>((resolve, reject) =>
        session.bind_transceiver({ system_id: "chora", password: "secret" }, (pdu: { command_status: number }) => (pdu.command_status === 0 ? resolve() : reject(new Error("bind failed")))),
      );
      let next = 0;
      const t = performance.now();
      const meter = cpuMeter(sink.pid!);
      await Promise.all(
        Array.from({ length: WINDOW }, async () => {
          while (next < N) {
            const i = next++;
            await new Promise<void>((resolve, reject) =>
              session.submit_sm(
                { source_addr: "Bench", source_addr_ton: 5, destination_addr: number(i).slice(1), dest_addr_ton: 1, dest_addr_npi: 1, registered_delivery: 1, short_message: text(i) },
                (pdu: { command_status: number }) => (pdu.command_status === 0 ? resolve() : reject(new Error(`submit ${pdu.command_status}`))),
              ),
            );
          }
        }),
      );
      const ms = performance.now() - t;
      cpu.bare.push(meter());
      await new Promise<void>((resolve) => session.unbind(() => (session.close(), resolve())));
      await expectSink("bare");
      return ms;
    },
  };
  const samples: Record<keyof typeof variants, number[]> = { queue: [], dry: [], bare: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const order = (round % 2 ? ["queue", "bare", "dry"] : ["bare", "queue", "dry"]) as (keyof typeof variants)[];
    for (const name of order) samples[name].push(await variants[name](round));
    console.log(`round ${round}: ` + order.map((name) => `${name} ${fmt((N / samples[name].at(-1)!) * 1000)} SMS/s`).join(", "));
  }
  const rate = (name: keyof typeof variants) => (N / summarize(samples[name]).median) * 1000;
  console.log(`\n${fmt(N)} SMS, window ${WINDOW} outstanding submit_sm, SMSC in its own process answering after ${process.env.BENCH_SMSC_DELAY_MS ?? 0} ms${process.env.BENCH_RECEIPTS === "1" ? ", with receipts" : ""}; median of ${ROUNDS}`);
  console.log(`queue: runQueue + SMPP transport        ${fmt(summarize(samples.queue).median).padStart(7)} ms  ${fmt(rate("queue")).padStart(6)} SMS/s`);
  console.log(`queue with an instant SMS transport     ${fmt(summarize(samples.dry).median).padStart(7)} ms  ${fmt(rate("dry")).padStart(6)} SMS/s`);
  console.log(`bare smpp client loop                   ${fmt(summarize(samples.bare).median).padStart(7)} ms  ${fmt(rate("bare")).padStart(6)} SMS/s`);
  console.log(`ratio queue/bare: ${fmt(rate("queue") / rate("bare"), 2)} (target ≥ 0.80); the queue's own ceiling (instant transport)/bare: ${fmt(rate("dry") / rate("bare"), 2)}`);
  // CPU per SMS, median over the rounds: where the queue's extra work goes.
  const perSms = (name: keyof typeof cpu, part: keyof CpuSplit) => (summarize(cpu[name].map((c) => c[part])).median / N) * 1e6;
  console.log(`\nCPU per SMS (µs, median)             ${"this process".padStart(13)} ${"SMSC".padStart(6)} ${"PostgreSQL".padStart(11)}`);
  for (const [name, label] of [["queue", "queue"], ["dry", "queue, instant transport"], ["bare", "bare smpp loop"]] as const) {
    console.log(`${label.padEnd(36)} ${fmt(perSms(name, "self")).padStart(13)} ${fmt(perSms(name, "sink")).padStart(6)} ${fmt(perSms(name, "postgres")).padStart(11)}`);
  }
} finally {
  await new Promise<void>((resolve) => {
    sink.once("exit", () => resolve());
    sink.send("close");
  });
  await database.drop();
}

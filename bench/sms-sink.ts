// The SMSC of bench/sms-drain.ts, run as a child process so it does not share the runner's event
// loop: tests/helpers/smsc.ts (the smpp package's server side) acknowledging every submit_sm.
// Answers "stats", "reset" and "close" on the IPC channel.
import { startSmsc } from "@/tests/helpers/smsc";

const smsc = await startSmsc({ receipts: process.env.BENCH_RECEIPTS === "1" ? "auto" : "none", responseDelayMs: Number(process.env.BENCH_SMSC_DELAY_MS ?? 0) });
process.send!({ url: smsc.url() });
process.on("message", async (message) => {
  if (message === "stats") process.send!({ received: smsc.submits.length, distinct: new Set(smsc.submits.map((s) => s.destination)).size });
  if (message === "reset") {
    (smsc.submits as unknown[]).length = 0;
    process.send!({ ok: true });
  }
  if (message === "close") {
    await smsc.close();
    process.exit(0);
  }
});

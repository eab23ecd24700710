// The SMTP sink of the queue benchmarks, run as a child process by bench/queue-common.ts: a
// loopback smtp-server that accepts and discards every message, counting Message-IDs. It answers
// "stats", "reset" and "close" on the IPC channel.
import { startSmtpServer } from "@/tests/helpers/smtp";

const smtp = await startSmtpServer({ keepRaw: false });
process.send!({ port: smtp.port });
process.on("message", async (message) => {
  if (message === "stats") process.send!({ received: smtp.received.length, distinct: smtp.countByMessageId().size });
  if (message === "reset") {
    smtp.reset();
    process.send!({ ok: true });
  }
  if (message === "close") {
    await smtp.close();
    process.exit(0);
  }
});

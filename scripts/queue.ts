// npm run queue -- send [domain] | retry [domain]
// Mirrors the original EmailQueue/send_queue and retry_queue: sends pending messages, or resends
// messages in error, for one site (by domain) or every site. Prints a summary; exits non-zero
// when something failed.
import { z } from "zod";
import { eq } from "drizzle-orm";

const args = z
  .tuple([z.enum(["send", "retry"]), z.string().trim().toLowerCase().optional()])
  .safeParse(process.argv.slice(2));
if (!args.success) {
  console.error("usage: npm run queue -- send [domain]\n       npm run queue -- retry [domain]");
  process.exit(2);
}
const [kind, domain] = args.data;

const { db, closeDb } = await import("@/db/client");
const { sites } = await import("@/db/schema");
const { runQueue, runnerId } = await import("@/lib/queue/run");
const { assertEmbeddedDatabaseFree } = await import("@/lib/queue/embedded-lock");

let exitCode = 0;
try {
  assertEmbeddedDatabaseFree();
  let siteId: number | null = null;
  if (domain) {
    const [site] = await db.select({ id: sites.id }).from(sites).where(eq(sites.domain, domain)).limit(1);
    if (!site) throw new Error(`no site with domain ${domain}`);
    siteId = site.id;
  }
  // With cron (QUEUE_SCHEDULER=off) nothing else gives a scheduled newsletter its recipients.
  if (kind === "send") {
    const { queueDueSends } = await import("@/lib/newsletters/send");
    await queueDueSends(siteId);
  }
  const s = await runQueue({ kind, siteId, runner: runnerId(`cli-${kind}`) });
  console.log(
    `queue ${kind}${domain ? ` ${domain}` : ""}: ${s.claimed} taken, ${s.sent} sent, ${s.failed} failed, ${s.recovered} recovered from expired leases`,
  );
  if (s.failed > 0) exitCode = 1;
} catch (error) {
  console.error(`queue ${kind}: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  // An SMPP session is unbound properly (the SMSC keeps receipts for the next bind).
  const { closeSmsTransports } = await import("@/lib/sms/resolve");
  await closeSmsTransports();
  await closeDb();
}
process.exit(exitCode);

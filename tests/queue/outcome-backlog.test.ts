import { describe, expect, it, vi } from "vitest";
import type { EmailTransport } from "@/lib/mail/transport";
import { BACKLOG_MAX } from "@/lib/queue/outcome-writer";
import { enqueue } from "@/lib/queue/enqueue";
import { runQueue } from "@/lib/queue/run";
import { sendsInFlight } from "@/lib/queue/deliver";
import { makeSite } from "../helpers/factories";

// What a crash can send twice is what went out with its outcome still unwritten. The senders wait
// for the database when BACKLOG_MAX outcomes are unwritten: across every batch the runner holds,
// not per batch (a batch of QUEUE_BATCH_SIZE, 200, never holds 400, and a runner moves on to the
// next batch while the last one's outcomes are being written).

const writes = vi.hoisted(() => {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open: () => open(), recorded: 0 };
});

// The database is stuck on outcome writes (a lock, a failover) until the test lets it go.
vi.mock("@/lib/queue/record", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/queue/record")>();
  return {
    ...original,
    recordOutcomes: async (...args: Parameters<typeof original.recordOutcomes>) => {
      await writes.opened;
      const ids = await original.recordOutcomes(...args);
      writes.recorded += args[2].length;
      return ids;
    },
  };
});

const message = { kind: "test", subject: "s", text: "t", fromName: "", fromAddress: "o@example.org" };

describe("outcomes not yet written", () => {
  it("hold the senders back once BACKLOG_MAX of the whole run are unwritten, however many batches they span", { timeout: 60_000 }, async () => {
    const total = 7 * 200;
    const site = await makeSite();
    await enqueue({ siteId: site.id, message, recipients: Array.from({ length: total }, (_, i) => ({ address: `backlog${i}@example.org` })) });
    let sent = 0;
    let mostUnwritten = 0;
    // Writes are let go once every row went (the backlog is not held), or else once the senders
    // have stopped (it is): a fallback for progress only, the assertion below does not depend on it.
    const fallback = setTimeout(writes.open, 3_000);
    const transport: EmailTransport = {
      kind: "outbox",
      async send(_mail, meta) {
        sent++;
        mostUnwritten = Math.max(mostUnwritten, sent - writes.recorded);
        if (sent === total) writes.open();
        return { providerMessageId: `p-${meta.queueId}` };
      },
      close() {},
    };
    try {
      const summary = await runQueue({ kind: "send", siteId: site.id, runner: "backlog", transport, batchSize: 200 });
      expect(summary).toMatchObject({ claimed: total, sent: total });
    } finally {
      clearTimeout(fallback);
    }
    // Those waiting plus the sends each sender had started when the limit was reached.
    expect(mostUnwritten).toBeLessThanOrEqual(BACKLOG_MAX + sendsInFlight());
    expect(mostUnwritten).toBeGreaterThanOrEqual(BACKLOG_MAX);
  });
});

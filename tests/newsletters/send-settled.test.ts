import { describe, expect, it } from "vitest";
import { sendSettled } from "@/lib/newsletters/send-settled";
import { RECEIPT_LOOKBACK_DAYS } from "@/lib/queue/receipt-window";

// A send's report polls its counts every 1.5 s until the send is settled (use-send-stats.ts). An
// SMS send waited for every sent row to be delivered: with an SMSC that sends no receipt for some
// (or the outbox, which sends none), a report left open polled for ever. A receipt only finds
// rows sent within RECEIPT_LOOKBACK_DAYS (lib/queue/receipts.ts).
const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2026-06-15T12:00:00Z");
const queuedDaysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
const stats = (over: { queuedAt?: string | null; pending?: number; sending?: number; sent?: number; retrying?: number; status?: string } = {}) => ({
  status: over.status ?? "queued",
  queuedAt: over.queuedAt === undefined ? queuedDaysAgo(0) : over.queuedAt,
  counts: { pending: over.pending ?? 0, sending: over.sending ?? 0, sent: over.sent ?? 0 },
  retrying: over.retrying ?? 0,
});

describe("a send's report stops polling", () => {
  it("when every row has its outcome (email), or every SMS its receipt; not while rows go out or are retried", () => {
    expect(sendSettled(stats({ sent: 3 }), "email", now)).toBe(true);
    expect(sendSettled(stats({ sent: 0 }), "sms", now)).toBe(true);
    expect(sendSettled(stats({ sent: 3 }), "sms", now)).toBe(false); // receipts may still come
    expect(sendSettled(stats({ pending: 1 }), "email", now)).toBe(false);
    expect(sendSettled(stats({ retrying: 1 }), "sms", now)).toBe(false);
    expect(sendSettled(stats({ status: "sending", queuedAt: null }), "email", now)).toBe(false);
    expect(sendSettled(stats({ status: "cancelled" }), "sms", now)).toBe(true);
  });

  it("an SMS send queued longer ago than a receipt looks back: settled, receipts or not", () => {
    expect(sendSettled(stats({ sent: 3, queuedAt: queuedDaysAgo(RECEIPT_LOOKBACK_DAYS + 1) }), "sms", now)).toBe(true);
    expect(sendSettled(stats({ sent: 3, queuedAt: queuedDaysAgo(RECEIPT_LOOKBACK_DAYS - 1) }), "sms", now)).toBe(false);
    // Still going out, however old: not settled.
    expect(sendSettled(stats({ sent: 3, pending: 1, queuedAt: queuedDaysAgo(RECEIPT_LOOKBACK_DAYS + 1) }), "sms", now)).toBe(false);
  });
});

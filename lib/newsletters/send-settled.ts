import { RECEIPT_LOOKBACK_DAYS } from "@/lib/queue/receipt-window";

/** What sendSettled reads of a send's live counts (SendStats, components/templates/use-send-stats.ts). */
type SendProgress = {
  status: string;
  queuedAt: string | null;
  counts: Record<"pending" | "sending" | "sent", number>;
  retrying: number;
};

/**
 * Nothing of the send moves by itself any more: queued, every row has its outcome, no retry to
 * come, and, for SMS, no receipt awaited: a sent SMS still turns delivered, or error (UNDELIV, a
 * later part lost), when its receipt comes, seconds or hours after the send has gone out; but not
 * after RECEIPT_LOOKBACK_DAYS from the send's queueing (a receipt no longer finds its row then):
 * an SMSC that sends no receipt for some (the outbox sends none) left a report polling for ever.
 */
export const sendSettled = (s: SendProgress, channel: "email" | "sms", now: Date = new Date()) =>
  s.status === "cancelled" ||
  (s.status === "queued" && s.counts.pending + s.counts.sending === 0 && s.retrying === 0 && (channel === "email" || s.counts.sent === 0 || receiptsOver(s.queuedAt, now)));

const receiptsOver = (queuedAt: string | null, now: Date) => queuedAt !== null && now.getTime() - new Date(queuedAt).getTime() > RECEIPT_LOOKBACK_DAYS * 24 * 60 * 60 * 1000;

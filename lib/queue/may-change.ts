import type { Channel, QueueStatus } from "@/db/schema";
import { RECEIPT_LOOKBACK_DAYS } from "./receipt-window";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a queue row may still change by itself, so that a page showing it follows it
 * (QueueFollower): sending, waiting, to be retried, or an SMS whose receipt (a later part's
 * failure even after `delivered`) may still come. A receipt looks for its row only among those
 * sent within RECEIPT_LOOKBACK_DAYS (receipts.ts): an older SMS, sent or delivered, is settled,
 * and its page, left open, must not poll for ever.
 */
export function rowMayChange(
  row: { status: QueueStatus; channel: Channel; retryable: boolean; sentAt: Date | null; updatedAt: Date },
  now: Date = new Date(),
): boolean {
  if (row.status === "pending" || row.status === "sending") return true;
  if (row.status === "error") return row.retryable;
  if (row.channel !== "sms") return false;
  const at = row.sentAt ?? row.updatedAt;
  return now.getTime() - at.getTime() < RECEIPT_LOOKBACK_DAYS * DAY_MS;
}

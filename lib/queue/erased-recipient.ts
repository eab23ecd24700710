import { sql } from "drizzle-orm";
import { formatPhone } from "@/lib/sms/phone";
import { shownEmail } from "@/lib/idn";

/**
 * What an erased person's unsent rows hold instead of the recipient (`erased-<row id>`: unique per
 * message; lib/newsletters/erase.ts). No address or number looks like it.
 */
export const ERASED_RECIPIENT_PREFIX = "erased-";

const ERASED_RECIPIENT = new RegExp(`^${ERASED_RECIPIENT_PREFIX}\\d+$`);
export const isErasedRecipient = (recipient: string) => ERASED_RECIPIENT.test(recipient);

/**
 * Rows that still have someone to go to. Sending an erased person's row again would only fail
 * (it has no address any more), so setting rows back to pending leaves those out.
 */
export const ERASED_RECIPIENT_PATTERN = `^${ERASED_RECIPIENT_PREFIX}[0-9]+$`;
export const hasRecipient = sql`queue.recipient !~ ${ERASED_RECIPIENT_PATTERN}`;

/**
 * A row's recipient as the screens show it: a number as people read it, an address with its
 * domain as people write it (ann@crème.fr, stored ann@xn--crme-6oa.fr), an erased person by
 * `erasedLabel`. Exports keep the stored form (lib/idn.ts).
 */
export function shownRecipient(row: { channel: string; recipient: string }, erasedLabel: string): string {
  if (isErasedRecipient(row.recipient)) return erasedLabel;
  return row.channel === "sms" ? formatPhone(row.recipient) : shownEmail(row.recipient);
}

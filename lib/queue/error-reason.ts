import { emailErrorReason } from "@/lib/mail/error-reason";
import { smsErrorReason } from "@/lib/sms/error-reason";
import { CANCELLED_NOTE, ERASED_NOTE, LEASE_EXPIRED_NOTE, MALFORMED_ADDRESS_PREFIX, NOT_DELIVERED_NOTE, NOT_E164_PREFIX, NUMBER_UNSUBSCRIBED_NOTE, OPTED_OUT_BY_ADMIN_NOTE, OPTED_OUT_BY_PROVIDER_NOTE, OPTED_OUT_BY_REPLY_NOTE, OPTED_OUT_NOTE, PART_NOT_DELIVERED_PATTERN, RELEASED_NOTE, UNSUBSCRIBED_NOTE } from "./notes";

/**
 * Why a row failed, as a stable name: the screens and their CSV exports translate it
 * (queue.failure.reasons.<key>), a script's CSV export gives it as is. Names are kept once released (spreadsheets filter on them);
 * new ones are added.
 */
export const ERROR_REASONS = [
  // Written by the queue itself (lib/queue/notes.ts).
  "optedOut",
  "unsubscribed",
  "cancelled",
  "leaseExpired",
  "releasedUnsent",
  "notDelivered",
  "invalidNumber",
  "invalidAddress",
  "numberUnsubscribed",
  "optedOutByProvider",
  "optedOutByAdmin",
  "optedOutByReply",
  "erased",
  // SMS: a send refused or failed (SMPP, Twilio), then receipts that end a sent row.
  "smsUrlUnreadable",
  "smsNoSender",
  "smsInvalidSender",
  "smsLoginRefused",
  "smsBindFailed",
  "smsUnavailable",
  "smsConnectionLost",
  "smsNoResponse",
  "smsStopping",
  "smsThrottled",
  "smsQueueFull",
  "smsProviderError",
  "smsRegionNotEnabled",
  "smsOptedOutAtProvider",
  "smsNotMobile",
  "smsUnknownNumber",
  "smsHandsetUnreachable",
  "smsBlocked",
  "smsSpamFiltered",
  "smsUnknownError",
  "smsEmpty",
  "smsUnconfirmed",
  "smsRefused",
  "receiptUndelivered",
  "receiptExpired",
  "receiptRejected",
  "receiptDeleted",
  "receiptUnknown",
  "receiptSkipped",
  "receiptFailed",
  "receiptCanceled",
  "receiptPartUndelivered",
  // Email: SMTP replies, then failures to reach or keep the server.
  "emailUnknownRecipient",
  "emailUnknownDomain",
  "emailSenderRejected",
  "emailMailboxDisabled",
  "emailMailboxFull",
  "emailTooBig",
  "emailPolicy",
  "emailAuthFailed",
  "emailTemporary",
  "emailRejected",
  "emailServerUnreachable",
  "emailConnectionLost",
  "emailWorkerStopped",
] as const;

export type ErrorReasonKey = (typeof ERROR_REASONS)[number];

/**
 * A classified error. `code`: the provider's own code when the text has one (Twilio error, SMTP
 * reply or enhanced status, SMPP status name, receipt `err:`), for the translations to quote.
 * `own`: the queue wrote the text itself, so it says nothing a translation does not. `part` of
 * `parts`: the part of a long SMS the error is about.
 */
export type ErrorReason = { key: ErrorReasonKey; code?: string; own?: boolean; part?: number; parts?: number };

/** The values a reason's sentence may quote (queue.failure.reasons.<key>), for every translator that shows one. */
export const reasonValues = (r: ErrorReason) => ({ code: r.code ?? "", part: r.part ?? "", parts: r.parts ?? "" });

/**
 * Causes that can go away without touching the message or its recipient (a busy or unreachable
 * server, a configuration a person fixes): once the automatic attempts are spent, setting the
 * row back to pending may well send it. The others will fail the same way again.
 */
const PASSING = new Set<ErrorReasonKey>([
  "smsUrlUnreadable",
  "smsNoSender",
  "smsInvalidSender",
  "smsLoginRefused",
  "smsBindFailed",
  "smsUnavailable",
  "smsConnectionLost",
  "smsNoResponse",
  "smsStopping",
  "smsThrottled",
  "smsQueueFull",
  "smsProviderError",
  "smsRegionNotEnabled",
  "smsHandsetUnreachable",
  "smsSpamFiltered",
  "smsUnknownError",
  "receiptExpired",
  // The first part reached the phone, so the number and the phone work: sent again once the
  // provider says why the part was lost, it may well arrive whole.
  "receiptPartUndelivered",
  "emailSenderRejected",
  "emailMailboxFull",
  "emailPolicy",
  "emailAuthFailed",
  "emailTemporary",
  "emailServerUnreachable",
  "emailConnectionLost",
  "emailWorkerStopped",
]);

export const reasonMayPass = (key: ErrorReasonKey) => PASSING.has(key);

const OWN_NOTES = new Map<string, ErrorReasonKey>([
  [OPTED_OUT_NOTE, "optedOut"],
  [OPTED_OUT_BY_PROVIDER_NOTE, "optedOutByProvider"],
  [OPTED_OUT_BY_ADMIN_NOTE, "optedOutByAdmin"],
  [OPTED_OUT_BY_REPLY_NOTE, "optedOutByReply"],
  [UNSUBSCRIBED_NOTE, "unsubscribed"],
  [NUMBER_UNSUBSCRIBED_NOTE, "numberUnsubscribed"],
  [ERASED_NOTE, "erased"],
  [CANCELLED_NOTE, "cancelled"],
  [LEASE_EXPIRED_NOTE, "leaseExpired"],
  [RELEASED_NOTE, "releasedUnsent"],
  [NOT_DELIVERED_NOTE, "notDelivered"],
]);

function ownNote(text: string): ErrorReason | null {
  const key = OWN_NOTES.get(text);
  if (key) return { key, own: true };
  if (text.startsWith(NOT_E164_PREFIX)) return { key: "invalidNumber", own: true };
  if (text.startsWith(MALFORMED_ADDRESS_PREFIX)) return { key: "invalidAddress", own: true };
  return null;
}

/** A long SMS's later part reported undelivered: the queue's words around the part's own receipt, quoted as the code. */
function partNotDelivered(text: string): ErrorReason | null {
  const found = PART_NOT_DELIVERED_PATTERN.exec(text);
  if (!found) return null;
  return { key: "receiptPartUndelivered", part: Number(found[1]), parts: Number(found[2]), ...(found[3] ? { code: found[3] } : {}) };
}

/**
 * What a stored error text (a row's last_error, a history event's error) means, or null for a
 * text none of chora's transports or notes produce: that one is shown as it is. Read when shown,
 * not when stored, so rows failed before a reason was known are explained too, and the stored
 * text stays the provider's exact words.
 */
export function errorReason(text: string): ErrorReason | null {
  const trimmed = text.trim();
  return ownNote(trimmed) ?? partNotDelivered(trimmed) ?? smsErrorReason(trimmed) ?? emailErrorReason(trimmed);
}

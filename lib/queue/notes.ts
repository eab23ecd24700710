/**
 * The texts the queue itself writes in a row's error or history, in English like a transport's
 * own (they are stored, exported and read by support as such). The screens show them translated:
 * errorReason (lib/queue/error-reason.ts) recognises each one, so a change here is a change there.
 */

/** What the history says of a row given back because its sending hours were closed. */
export const DEFERRED_NOTE = "outside the SMS sending hours: waits for them to open";

/**
 * The error of a group SMS not sent because its number opted out after it was queued
 * (lib/queue/deliver.ts, stoppedTexts), one per way the opt-out came (sms_opt_outs.source): the
 * person replied STOP, the provider refused the number, or an administrator added it by hand.
 * Whoever reads a report must not be told the person sent STOP when they never did.
 */
export const OPTED_OUT_BY_REPLY_NOTE = "not sent: the number replied STOP to this site's SMS";
export const OPTED_OUT_BY_PROVIDER_NOTE = "not sent: the SMS provider refused the number (it opted out with the provider), now on this site's SMS opt-out list";
export const OPTED_OUT_BY_ADMIN_NOTE = "not sent: an administrator put the number on this site's SMS opt-out list";
/** The one note all three ways wrote before they were told apart: it says only that the number is out. */
export const OPTED_OUT_NOTE = "not sent: the number opted out of this site's SMS (STOP)";

/**
 * The error of a newsletter email not sent because its address unsubscribed after it was queued
 * (lib/queue/deliver.ts, unsubscribedRows).
 */
export const UNSUBSCRIBED_NOTE = "not sent: the address unsubscribed from this site's newsletters";

/**
 * The error of a group SMS not sent because the person whose subscription gave its number
 * unsubscribed by email after it was queued (lib/queue/deliver.ts, stoppedTexts).
 */
export const NUMBER_UNSUBSCRIBED_NOTE = "not sent: the number's subscriber unsubscribed from this site's news";

/**
 * The error of a row not sent because its person was erased from the site on request
 * (lib/newsletters/erase.ts) after it was queued: a newsletter or group SMS, a signup
 * confirmation or an answer to an SMS reply, sent before the erasure (a delivery record, so it
 * keeps the address or number) and then set back to pending or retried (lib/queue/deliver.ts,
 * stoppedRows). Not "unsubscribed": the person never did, and whoever reads the row must not be
 * told so.
 */
export const ERASED_NOTE = "not sent: the person was erased from this site on request";

/** A pending row a person cancelled (lib/queue/manage.ts). */
export const CANCELLED_NOTE = "cancelled";

/** History of rows whose runner vanished before recording an outcome (recoverExpiredLeases). */
export const LEASE_EXPIRED_NOTE = "lease expired: the runner stopped before recording an outcome";

/** History of rows a stopping runner had claimed ahead and gave back unsent (releaseClaim). */
export const RELEASED_NOTE = "claimed ahead, not sent";

/** A row whose recipient cannot be what its channel needs; the recipient follows the prefix. */
export const NOT_E164_PREFIX = "not an E.164 number: ";
export const MALFORMED_ADDRESS_PREFIX = "malformed address: ";

/** The reason of a negative receipt that gave none (lib/queue/receipts.ts). */
export const NOT_DELIVERED_NOTE = "not delivered";

/**
 * The error of a long SMS whose later part a receipt reported undelivered (lib/queue/receipts.ts),
 * the part's own receipt after a colon: "part 2 of 3 not delivered: UNDELIV err:034". The format
 * is PostgreSQL's format(), the receipt writing it; the pattern reads it back.
 */
export const PART_NOT_DELIVERED_FORMAT = "part %s of %s not delivered";
export const PART_NOT_DELIVERED_PATTERN = /^part (\d+) of (\d+) not delivered(?:: (.+))?$/s;

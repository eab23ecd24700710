import type { ErrorReason, ErrorReasonKey } from "@/lib/queue/error-reason";

/*
 * Reads the texts of the SMS transports back (lib/sms/smpp*.ts, twilio.ts, resolve.ts) and of
 * their delivery receipts. Kept apart from the transports so that a screen reading a row does
 * not load the smpp or twilio packages; tests/sms/error-reason.test.ts makes the real transports
 * produce each text, so a change of wording there fails here.
 */

/** SMPP command_status values (SMPP 3.4 §5.1.3) that say something a person can act on. */
const SMPP_STATUSES = new Map<number, ErrorReasonKey>([
  [0x0b, "invalidNumber"], // ESME_RINVDSTADR
  [0x50, "invalidNumber"], // ESME_RINVDSTTON
  [0x51, "invalidNumber"], // ESME_RINVDSTNPI
  [0x0a, "smsInvalidSender"], // ESME_RINVSRCADR
  [0x48, "smsInvalidSender"], // ESME_RINVSRCTON
  [0x49, "smsInvalidSender"], // ESME_RINVSRCNPI
  [0x58, "smsThrottled"], // ESME_RTHROTTLED
  [0x14, "smsQueueFull"], // ESME_RMSGQFUL
  [0x08, "smsProviderError"], // ESME_RSYSERR
  [0x0d, "smsLoginRefused"], // ESME_RBINDFAIL
  [0x0e, "smsLoginRefused"], // ESME_RINVPASWD
  [0x0f, "smsLoginRefused"], // ESME_RINVSYSID
]);

/** `SMPP submit_sm: ESME_RINVDSTADR (0x0B)`, `SMPP bind_transceiver to host:port: ESME_RINVPASWD (0x0E)`. */
const SMPP_STATUS = /^SMPP (submit_sm|bind_transceiver to \S+): (.+) \(0x([0-9A-F]+)\)$/i;

/** The transport's other texts, by what they mean to the person reading the row. */
const SMPP_TEXTS: [RegExp, ErrorReasonKey][] = [
  [/^SMPP connection to \S+ lost before submit_sm_resp$/, "smsConnectionLost"],
  [/^SMPP connection to \S+ is not writable$/, "smsConnectionLost"],
  [/^SMPP submit_sm: no response within \d+ ms$/, "smsNoResponse"],
  [/^SMPP transport closed$/, "smsStopping"],
  [/^SMPP \S+ unavailable; next connection attempt in \d+ s$/, "smsUnavailable"],
  [/^SMPP connect\/bind to \S+ timed out after \d+ ms$/, "smsUnavailable"],
  [/^SMPP connection to \S+ failed: /, "smsUnavailable"],
  [/^SMPP connection to \S+ closed before bind$/, "smsUnavailable"],
  [/^SMPP: empty message$/, "smsEmpty"],
];

/** Twilio error codes (twilio.com/docs/api/errors), from a refused request or a status callback. */
const TWILIO_CODES = new Map<number, ErrorReasonKey>([
  [20003, "smsLoginRefused"], // authentication failed
  [20403, "smsLoginRefused"], // forbidden
  [20404, "smsLoginRefused"], // resource not found: another account's SID
  [20429, "smsThrottled"], // too many requests
  [20500, "smsProviderError"],
  [20503, "smsProviderError"],
  [21211, "invalidNumber"], // invalid 'To' phone number
  [21212, "smsInvalidSender"], // invalid 'From' number
  [21603, "smsNoSender"], // 'From' is required
  [21606, "smsInvalidSender"], // 'From' is not an SMS-capable number of the account
  [21659, "smsInvalidSender"], // 'From' is not a Twilio number
  [21660, "smsInvalidSender"], // 'From' does not belong to the account
  [21408, "smsRegionNotEnabled"], // geographic permission not enabled
  [21610, "smsOptedOutAtProvider"], // the recipient replied STOP
  [21611, "smsQueueFull"], // the sender's queue at Twilio is full (throttling, retried)
  [21614, "smsNotMobile"], // 'To' is not a mobile number
  [30001, "smsQueueFull"], // queue overflow
  [30003, "smsHandsetUnreachable"],
  [30004, "smsBlocked"],
  [30005, "smsUnknownNumber"],
  [30006, "smsNotMobile"], // landline or unreachable carrier
  [30007, "smsSpamFiltered"],
  [30008, "smsUnknownError"],
]);

function twilioStatusReason(status: number): ErrorReasonKey {
  if (status === 429) return "smsThrottled";
  if (status >= 500) return "smsProviderError";
  if (status === 401 || status === 403) return "smsLoginRefused";
  return "smsRefused";
}

/** SMPP receipt states that end a message undelivered (the `stat:` field or message_state TLV). */
const RECEIPT_STATES = new Map<string, ErrorReasonKey>([
  ["UNDELIV", "receiptUndelivered"],
  ["EXPIRED", "receiptExpired"],
  ["REJECTD", "receiptRejected"],
  ["DELETED", "receiptDeleted"],
  ["UNKNOWN", "receiptUnknown"],
  ["SKIPPED", "receiptSkipped"],
]);

/** Twilio's final statuses (twilioStatusReceipt): the error code, when it is known, says more. */
const TWILIO_STATUSES = new Map<string, ErrorReasonKey>([
  ["undelivered", "receiptUndelivered"],
  ["failed", "receiptFailed"],
  ["canceled", "receiptCanceled"],
]);

const withCode = (key: ErrorReasonKey, code: string | undefined): ErrorReason => (code ? { key, code } : { key });

export function smsErrorReason(text: string): ErrorReason | null {
  const status = SMPP_STATUS.exec(text);
  if (status) {
    const code = parseInt(status[3], 16);
    const known = SMPP_STATUSES.get(code);
    const bind = status[1] !== "submit_sm";
    // Any other refused bind still stops every SMS of the account, whatever its status says.
    return withCode(known ?? (bind ? "smsBindFailed" : "smsRefused"), status[2]);
  }
  for (const [pattern, key] of SMPP_TEXTS) if (pattern.test(text)) return { key };

  const twilio = /^Twilio (?:(\d+)|HTTP (\d{3})): /.exec(text);
  if (twilio) {
    if (twilio[1]) return withCode(TWILIO_CODES.get(Number(twilio[1])) ?? "smsRefused", twilio[1]);
    return withCode(twilioStatusReason(Number(twilio[2])), twilio[2]);
  }
  // No answer from Twilio (refused, reset, timed out, DNS): nothing was decided about the message.
  if (/^Twilio (unreachable \(|request failed: )/.test(text)) return { key: "smsUnavailable" };
  if (text.startsWith("Twilio: no sender;")) return { key: "smsNoSender" };
  if (text === "Twilio accepted the request but answered without a message sid") return { key: "smsUnconfirmed" };
  if (/^site \d+: its SMS URL cannot be decrypted\b/.test(text)) return { key: "smsUrlUnreadable" };

  const smppReceipt = /^([A-Z]{7})(?: err:(\S*))?$/.exec(text);
  const state = smppReceipt && RECEIPT_STATES.get(smppReceipt[1]);
  if (state) return withCode(state, smppReceipt[2]);
  const twilioReceipt = /^([a-z]+)(?: \((\S+)\))?$/.exec(text);
  const final = twilioReceipt && TWILIO_STATUSES.get(twilioReceipt[1]);
  if (final) return withCode(TWILIO_CODES.get(Number(twilioReceipt[2])) ?? final, twilioReceipt[2]);
  return null;
}

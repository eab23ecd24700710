import smpp from "smpp";

/**
 * What an SMSC's command_status means to the queue: retried later (transient), paused for
 * (slow down), or final. The texts built here are read back by lib/sms/error-reason.ts.
 */

// Congestion and temporary faults: worth retrying later. Vendor codes (≥ 0x400) are mostly
// operator-side trouble too; an invalid destination or length will fail the same way every time.
// A refused sender (source address, TON, NPI) is the site's SMS settings, not the recipient's:
// transient, as Twilio's From errors are (twilio.ts), so the send goes out once they are mended
// rather than failing every row for good. A session the SMSC thinks unbound (RINVBNDSTS) is
// cured by the reconnect.
const TRANSIENT = new Set([
  0x58 /* RTHROTTLED */, 0x14 /* RMSGQFUL */, 0x08 /* RSYSERR */, 0x64 /* RX_T_APPN */,
  0x0a /* RINVSRCADR */, 0x48 /* RINVSRCTON */, 0x49 /* RINVSRCNPI */, 0x04 /* RINVBNDSTS */,
]);
/** "Slow down": answered by pausing and submitting again, not by failing the message. */
export const SLOW_DOWN = new Set([0x58 /* RTHROTTLED */, 0x14 /* RMSGQFUL */]);
/** A refused bind_transceiver: the account's system_id or password. */
export const BIND_REFUSED = new Set([0x0d /* RBINDFAIL */, 0x0e /* RINVPASWD */, 0x0f /* RINVSYSID */]);
const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

const hex = (code: number) => `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
export const describeStatus = (code: number) => `${STATUS_NAMES.get(code) ?? "unknown status"} (${hex(code)})`;
export const isTransientStatus = (code: number) => TRANSIENT.has(code) || code >= 0x400;

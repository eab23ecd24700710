/**
 * Transient failures are worth retrying later (SMTP 4xx, timeouts, refused or dropped
 * connections); permanent ones are not (SMTP 5xx, an address that cannot be valid).
 */
export type SendFailure = { transient: boolean; message: string; code?: string | number };

const TRANSIENT_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EDNS",
  "ETLS",
  "EPROTOCOL",
]);

export function classifySendError(error: unknown): SendFailure {
  const e = error as { responseCode?: number; code?: string; message?: string; response?: string; command?: string };
  const message = (e?.response || e?.message || String(error)).slice(0, 2000);
  // A refused login (nodemailer's EAUTH: SMTP 530, 534 or 535) is this installation's wrong
  // settings, not the recipient's fault: kept retryable, so that once a person fixes the SMTP
  // account the messages go out instead of a whole newsletter having failed for good.
  if (e?.code === "EAUTH") return { transient: true, message, code: e.responseCode ?? e.code };
  // The same for a sender the server refuses at MAIL FROM (550 5.7.1 "sender not allowed", 553
  // 5.1.8 "bad sender address"): the site's From address or relay rights, the same for every
  // recipient. Except 552, the size the client declared there: that message is too big anywhere.
  if (e?.command === "MAIL FROM" && typeof e.responseCode === "number" && e.responseCode >= 500 && e.responseCode !== 552) {
    return { transient: true, message, code: e.responseCode };
  }
  if (typeof e?.responseCode === "number") {
    return { transient: e.responseCode >= 400 && e.responseCode < 500, message, code: e.responseCode };
  }
  if (e?.code && TRANSIENT_CODES.has(e.code)) return { transient: true, message, code: e.code };
  if (e?.code === "EENVELOPE" || e?.code === "EMESSAGE") return { transient: false, message, code: e.code };
  // Unknown failures (a bug, a filesystem error) are retried: a later attempt may succeed and
  // the attempt limit stops it anyway.
  return { transient: true, message, code: e?.code };
}

/** Rejects what no server would accept, before it is tried (permanent error). */
export function plausibleEmail(address: string): boolean {
  return /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/.test(address) && address.length <= 320;
}

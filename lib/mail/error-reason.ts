import type { ErrorReason, ErrorReasonKey } from "@/lib/queue/error-reason";

/*
 * Reads back what classifySendError (lib/mail/classify.ts) stores of a failed email: the SMTP
 * server's reply when there is one ("550 5.1.1 <x@y>: Recipient address rejected: User unknown"),
 * else nodemailer's or Node's message ("connect ECONNREFUSED 127.0.0.1:587", "Greeting never
 * received") or the SMTP worker's (lib/mail/transport.ts).
 */

/** A reply code, then (RFC 3463) an enhanced status code when the server gives one; multi-line replies use `-`. */
const REPLY = /^([245]\d\d)(?:[ -]([245])\.(\d{1,3})\.(\d{1,3})\b)?/;

/** Enhanced status `subject.detail` → what it means, whatever its class (4: for now, 5: for good). */
const ENHANCED = new Map<string, ErrorReasonKey>([
  ["1.1", "emailUnknownRecipient"], // bad destination mailbox address
  ["1.6", "emailUnknownRecipient"], // mailbox has moved, no forwarding address
  ["1.10", "emailUnknownRecipient"], // recipient address has null MX
  ["1.2", "emailUnknownDomain"], // bad destination system address
  ["1.3", "invalidAddress"], // bad destination mailbox address syntax
  ["1.7", "emailSenderRejected"], // bad sender's mailbox address syntax
  ["1.8", "emailSenderRejected"], // bad sender's system address
  ["2.1", "emailMailboxDisabled"],
  ["2.2", "emailMailboxFull"],
  ["2.3", "emailTooBig"], // message length exceeds administrative limit
  ["3.4", "emailTooBig"],
  ["7.8", "emailAuthFailed"], // authentication credentials invalid
]);

/** 530 authentication required, 534 mechanism too weak, 535 credentials invalid (RFC 4954). */
const AUTH_REPLIES = new Set(["530", "534", "535"]);

/** A bare 550 is "mailbox unavailable", for a missing mailbox or by policy: the words tell which. */
const POLICY_WORDS = /\b(spam|policy|blocked|block ?list|blacklist|reputation|denied|relay(ing)?|not permitted|SPF|DKIM|DMARC)\b/i;

const UNREACHABLE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)\b|^(Connection timeout|Greeting never received)$/;
const CONNECTION_LOST = /\b(ECONNRESET|EPIPE)\b|^(Connection closed( unexpectedly)?|Timeout|Unexpected socket close)$/;
/** nodemailer's own refusals to log in, before or without a server reply. */
const AUTH_MESSAGES = /^(Invalid login: |Missing credentials for |Authentication info was not provided)/;

function smtpReply(reply: RegExpExecArray, text: string): ErrorReason {
  const [, code, cls, subject, detail] = reply;
  if (AUTH_REPLIES.has(code)) return { key: "emailAuthFailed", code };
  if (cls) {
    const enhanced = `${cls}.${subject}.${detail}`;
    const known = ENHANCED.get(`${subject}.${detail}`);
    if (known) return { key: known, code: enhanced };
    if (cls === "5" && subject === "7") return { key: "emailPolicy", code: enhanced };
    return { key: cls === "4" ? "emailTemporary" : "emailRejected", code: enhanced };
  }
  if (code === "550" || code === "551") return { key: POLICY_WORDS.test(text) ? "emailPolicy" : "emailUnknownRecipient", code };
  if (code === "552" || code === "452") return { key: "emailMailboxFull", code }; // RFC 5321: storage exceeded
  return { key: code.startsWith("4") ? "emailTemporary" : "emailRejected", code };
}

export function emailErrorReason(text: string): ErrorReason | null {
  const reply = REPLY.exec(text);
  if (reply) return smtpReply(reply, text);
  if (AUTH_MESSAGES.test(text)) return { key: "emailAuthFailed" };
  if (UNREACHABLE.test(text)) return { key: "emailServerUnreachable" };
  if (CONNECTION_LOST.test(text)) return { key: "emailConnectionLost" };
  if (/^SMTP worker (failed|stopped|closed)\b/.test(text)) return { key: "emailWorkerStopped" };
  if (/^Message size larger than allowed \d+$/.test(text)) return { key: "emailTooBig" };
  return null;
}

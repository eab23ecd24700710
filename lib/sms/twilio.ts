import twilio from "twilio";
import type { RequestOptions } from "twilio/lib/base/RequestClient";
import type { SmsReceipt, SmsTransport } from "./transport";
import { SmsSendError } from "./transport";

import { parseTwilioUrl } from "./url";

export { parseTwilioUrl, TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH, type TwilioConfig } from "./url";

/**
 * The HTTP client the Twilio library is given (its supported `httpClient` option) when the URL
 * names another host: the library builds every URI on https://api.twilio.com (plus any
 * edge/region from TWILIO_EDGE/TWILIO_REGION); this keeps path and query and swaps the origin.
 * Authentication, form encoding and error handling stay the library's own.
 */
function originRewritingClient(baseUrl: string, timeout: number): InstanceType<typeof twilio.RequestClient> {
  const target = new URL(baseUrl);
  class OriginRewritingClient extends twilio.RequestClient {
    request<TData>(opts: RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      uri.protocol = target.protocol;
      uri.host = target.host;
      return super.request<TData>({ ...opts, uri: uri.toString() });
    }
  }
  return new OriginRewritingClient({ timeout });
}

/**
 * Sends through Twilio's Messages API. `statusCallback` is the URL Twilio posts delivery
 * reports to (the site's /api/sms/twilio/status); without one, rows stay `sent`.
 */
/** Twilio's answer for a number that replied STOP to this account (its own opt-out handling). */
const UNSUBSCRIBED_RECIPIENT = 21610;

export function twilioTransport(url: string, options: { statusCallback?: string; onOptedOut?: (phone: string, from: string) => void | Promise<void> } = {}): SmsTransport {
  const config = parseTwilioUrl(url);
  const timeout = 30_000;
  const httpClient = config.baseUrl ? originRewritingClient(config.baseUrl, timeout) : undefined;
  // No autoRetry: the queue retries transient failures itself, with its own backoff and history.
  const client = twilio(config.accountSid, config.authToken, { httpClient, timeout });
  return {
    kind: "twilio",
    async send(sms) {
      const from = sms.from || config.from;
      // A configuration error: once a sender is set, the message can go out (see twilioSendError).
      if (!from) throw new SmsSendError("Twilio: no sender; set the site's SMS sender or ?from= in the Twilio URL", true, "no_from");
      let message: { sid?: string };
      try {
        message = await client.messages.create({ to: sms.to, from, body: sms.text, statusCallback: options.statusCallback });
      } catch (err) {
        // The library parses only a 2xx body itself (its errors parse theirs safely): unreadable
        // JSON means an answer that was a success, treated like one without a sid below.
        if (err instanceof SyntaxError) throw unconfirmed();
        const failure = twilioSendError(err);
        // Twilio keeps the STOP replies itself: chora learns of one when a send is refused.
        if (failure.code === UNSUBSCRIBED_RECIPIENT) await Promise.resolve(options.onOptedOut?.(sms.to, from)).catch(() => undefined);
        throw failure;
      }
      if (!message?.sid) throw unconfirmed();
      return { providerMessageId: message.sid };
    },
    close() {
      // The library's https agent keeps idle connections to api.twilio.com alive; let them go.
      const agent = (client.httpClient.axios.defaults.httpsAgent ?? undefined) as { destroy?: () => void } | undefined;
      agent?.destroy?.();
    },
  };
}

/**
 * Twilio answered 2xx without a usable message: it may well have accepted it, so retrying could
 * send it twice; the row fails for a person to look at.
 */
const unconfirmed = () => new SmsSendError("Twilio accepted the request but answered without a message sid", false);

/**
 * Twilio error codes that mean this installation's configuration is wrong, not the message:
 * once a person fixes the sender or account, the same message goes out, so they are retried.
 */
const CONFIG_CODES = new Set([
  20003, // authentication failed
  20404, // resource not found (wrong account SID)
  21212, // invalid From number
  21603, // From is required
  21606, // From is not an SMS-capable number of this account
  21659, // From is not a Twilio number
  21660, // From does not belong to this account
]);

/**
 * Twilio's throttling answered with a 400: the sender's queue holds more than Twilio keeps (10
 * hours at its rate; https://www.twilio.com/docs/errors/21611). The same message goes out once
 * the queue drains: retried with the queue's backoff, as a 429 is.
 */
const THROTTLE_CODES = new Set([21611]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_NETWORK",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

/**
 * What Twilio answered, when it did: the library throws a RestException (legacy error body
 * `{code, message, more_info, status}`) or, for RFC 9457 bodies, a TwilioServiceException
 * (`{type, title, detail, status, code}`), which it does not export; both carry a numeric
 * HTTP `status`. Network failures are axios errors without one.
 */
function twilioAnswer(err: unknown): { status: number; code?: number; message?: string } | null {
  if (!err || typeof err !== "object" || (err as { isAxiosError?: boolean }).isAxiosError) return null;
  const e = err as { status?: unknown; code?: unknown; message?: unknown; detail?: unknown; title?: unknown; type?: unknown };
  const serviceException = typeof e.type === "string" && typeof e.title === "string";
  if (!(err instanceof twilio.RestException || serviceException) || typeof e.status !== "number") return null;
  const code = typeof e.code === "number" && e.code > 0 ? e.code : undefined;
  const text = [e.detail, e.message, e.title].find((t): t is string => typeof t === "string" && t.trim() !== "" && !t.startsWith("[HTTP"));
  return { status: e.status, code, message: text };
}

/** A failure of `messages.create`, classified for the queue: transient is retried, permanent is final. */
function twilioSendError(err: unknown): SmsSendError {
  const answer = twilioAnswer(err);
  if (answer) {
    const { status, code } = answer;
    const label = code !== undefined ? `Twilio ${code}` : `Twilio HTTP ${status}`;
    // 429 (too many requests), 21611 (the sender's queue is full) and 5xx (Twilio's trouble) pass; so do 401/403 and configuration
    // codes: bad credentials or a wrong sender are this installation's mistake, not the
    // recipient's, and once a person fixes the configuration the messages should go out rather
    // than all have failed for good. Every other 4xx (invalid or unsubscribed number, region not
    // enabled, body too long…) will fail again the same way: permanent.
    const transient = status === 429 || status >= 500 || status === 401 || status === 403 || (code !== undefined && (CONFIG_CODES.has(code) || THROTTLE_CODES.has(code)));
    return new SmsSendError(`${label}: ${answer.message ?? "request refused"}`, transient, code ?? status);
  }
  // No answer from Twilio (refused, reset, timed out, DNS): nothing was decided about the
  // message, so it is tried again. A timeout after the request left may mean Twilio took it;
  // the retry then sends it twice, the usual price of at-least-once delivery.
  const code = networkCode(err);
  const message = (err instanceof Error ? err.message : String(err)) || code || "no answer";
  return new SmsSendError(code && NETWORK_CODES.has(code) ? `Twilio unreachable (${code}): ${message}` : `Twilio request failed: ${message}`, true, code);
}

function networkCode(err: unknown): string | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && e.code !== "ERR_BAD_RESPONSE") return e.code;
  if (Array.isArray(e.errors)) for (const inner of e.errors) {
    const c = networkCode(inner);
    if (c) return c;
  }
  return e.cause && e.cause !== err ? networkCode(e.cause) : undefined;
}

/** Statuses after which Twilio sends nothing more about a message. */
const NOT_DELIVERED = new Set(["undelivered", "failed", "canceled"]);

/**
 * A status callback's parameters as a receipt, or null while the message is on its way
 * (queued, sending, sent, accepted, scheduled; `read` comes after `delivered`), or for a status
 * this code does not know.
 */
export function twilioStatusReceipt(params: Record<string, string>): SmsReceipt | null {
  const providerMessageId = (params.MessageSid || params.SmsSid || "").trim();
  const status = (params.MessageStatus || params.SmsStatus || "").trim().toLowerCase();
  if (!providerMessageId) return null;
  if (status === "delivered") return { providerMessageId, delivered: true };
  if (NOT_DELIVERED.has(status)) {
    // Stored in the row's error: PostgreSQL refuses NUL, and Twilio's codes are short numbers.
    const code = (params.ErrorCode ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 32);
    return { providerMessageId, delivered: false, reason: code ? `${status} (${code})` : status };
  }
  return null;
}

/**
 * Whether `signature` (the X-Twilio-Signature header) is Twilio's HMAC of `publicUrl` and the
 * posted parameters under `authToken`. The library compares in constant time and tries the URL
 * with and without its default port. A missing signature or an unreadable URL is simply invalid.
 */
export function validTwilioSignature(authToken: string, signature: string | null, publicUrl: string, params: Record<string, string>): boolean {
  if (!signature || !authToken) return false;
  try {
    return twilio.validateRequest(authToken, signature, publicUrl, params);
  } catch {
    return false;
  }
}

import type { Site } from "@/db/schema";
import { recordReceipt, type ReceiptResult } from "@/lib/queue/receipts";
import { siteSmsUrl } from "./site-sms-url";
import { siteBaseUrl } from "@/lib/sites/url";
import { applySmsReply, optOutKeyword, smsAccount, smsReply, twilioAccount, type SmsReply } from "./opt-out";
import { siteForRequest } from "@/lib/sites/resolve";
import { parseTwilioUrl, twilioStatusReceipt, validTwilioSignature, type TwilioConfig } from "./twilio";
import { limitedText } from "@/lib/http/limited-body";

/**
 * A callback is a few dozen short fields, plus for an inbound SMS a Body of at most 1,600
 * characters (some 20 kB once percent-encoded); anything much larger is not one.
 */
const MAX_BODY = 65_536;

/*
 * What Twilio names in a callback's identifying fields: a sender or number (From, To) is a phone
 * number, a short code, an alphanumeric sender ID or a channel address ("whatsapp:+336…"); a
 * message sid is letters and digits. Anything else (a NUL above all, which PostgreSQL refuses in
 * text and would turn into a 500) is not Twilio's form: the request is answered 400. A 4xx tells
 * Twilio the request itself is wrong, so no retry policy resends it, and its debugger shows the
 * error to whoever set the webhook; a 500 would claim a fault on our side and could be retried
 * without end, failing the same way each time.
 */
const PLAUSIBLE_SENDER = /^[\p{L}\p{N}+ .:_@()-]{1,64}$/u;
const PLAUSIBLE_SID = /^[A-Za-z0-9]{1,64}$/;
const twilioSid = (params: Record<string, string>) => (params.MessageSid || params.SmsSid || "").trim();

/** The Twilio account a site sends through (its own SMS URL, else SMS_URL), or null when it does not use Twilio. */
export function siteTwilioConfig(site: Pick<Site, "smsUrl">): (TwilioConfig & { url: string }) | null {
  const found = siteSmsUrl(site);
  if (!found.ok || !found.url?.startsWith("twilio:")) return null;
  try {
    return { ...parseTwilioUrl(found.url), url: found.url };
  } catch {
    return null;
  }
}

/**
 * The URL Twilio signed: the one it was given for this site (the site's public base URL + `path`,
 * TWILIO_STATUS_PATH or TWILIO_INBOUND_PATH) and the query string exactly as it came. Behind a
 * reverse proxy, request.url names the internal address (http://127.0.0.1:3000/…), not what
 * Twilio called, so it is rebuilt from the site; only the query is taken from the request,
 * untouched (its raw characters are part of what was signed).
 */
export function twilioSignedUrl(site: Pick<Site, "domain">, path: string, requestUrl: string): string {
  const q = requestUrl.indexOf("?");
  const query = q < 0 ? "" : requestUrl.slice(q).split("#")[0];
  return `${siteBaseUrl(site)}${path}${query === "?" ? "" : query}`;
}

/**
 * The posted form as Twilio sends it (application/x-www-form-urlencoded, each field once), or
 * null for anything else: another content type, an oversized or unreadable body, a repeated field.
 */
export async function readTwilioForm(request: Request): Promise<Record<string, string> | null> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) return null;
  const text = await limitedText(request, MAX_BODY);
  if (text === null) return null;
  const params: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, key)) return null;
    params[key] = value;
  }
  return params;
}

/** An empty answer to Twilio, never cached. */
export const twilioReply = (status: number, body: string | null = null, type?: string) =>
  new Response(body, { status, headers: { "Cache-Control": "no-store", ...(type ? { "Content-Type": type } : {}) } });

/**
 * What both Twilio webhooks check before anything else, since Twilio calls them without a
 * session: the site (by Host) sends through Twilio (else 404), the body is a form (else 400), and
 * X-Twilio-Signature is the HMAC of the site's public URL for `path` and that form under the
 * site's auth token (else 403). Nothing is read from the database or written before it passes.
 */
export async function verifiedTwilioCall(
  request: Request,
  path: string,
): Promise<{ ok: true; site: Site; twilio: TwilioConfig & { url: string }; params: Record<string, string> } | { ok: false; response: Response }> {
  const site = await siteForRequest(request.headers);
  const twilio = siteTwilioConfig(site);
  if (!twilio) return { ok: false, response: twilioReply(404) };
  const params = await readTwilioForm(request);
  if (!params) return { ok: false, response: twilioReply(400) };
  const signed = twilioSignedUrl(site, path, request.url);
  if (!validTwilioSignature(twilio.authToken, request.headers.get("x-twilio-signature"), signed, params)) return { ok: false, response: twilioReply(403) };
  return { ok: true, site, twilio, params };
}

export type TwilioStatusOutcome = "malformed" | "not_final" | ReceiptResult;

/**
 * Records a signed status callback: a final status (delivered, undelivered, failed) becomes a
 * receipt for the row Twilio's message sid names; a status on the way (queued, sent…) changes
 * nothing. "malformed": the form names no message or status. Only `siteId`'s rows: the signature
 * proves the sender holds that site's token, not another's.
 */
export async function recordTwilioStatus(params: Record<string, string>, siteId: number): Promise<TwilioStatusOutcome> {
  const sid = twilioSid(params);
  const status = (params.MessageStatus || params.SmsStatus || "").trim();
  if (!PLAUSIBLE_SID.test(sid) || !status || status.length > 64) return "malformed";
  const receipt = twilioStatusReceipt(params);
  if (!receipt) return "not_final";
  return recordReceipt({ channel: "sms", providerMessageId: receipt.providerMessageId, delivered: receipt.delivered, reason: receipt.reason, actor: "twilio", siteId });
}

/** The answer to an inbound SMS: an empty TwiML document, so Twilio sends no reply of its own. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Advanced Opt-Out's verdict on a reply; a STOP keeps the keyword when it is one chora knows. */
const OPT_OUT_TYPES = new Map<string, (body: string) => SmsReply>([
  ["STOP", (body) => ({ optOut: optOutKeyword(body) ?? "STOP" })],
  ["START", () => ({ backIn: true })],
  ["HELP", () => null],
]);

/**
 * Records a signed inbound SMS (the "A message comes in" webhook of a site's Twilio number):
 * with Advanced Opt-Out, Twilio's OptOutType (STOP, START, HELP) says what the reply asks, even
 * for a custom keyword; without it, the Body is read like an SMPP reply (handleInboundSms). Every
 * SMS is kept in the SMS replies. It applies to every site sending through the same account and sender: the number the SMS was
 * sent to (To), or when no site sends from that number (a Messaging Service), the site's own sender. "malformed": no From, or another account's SID (the
 * number's webhook points at the wrong site). Returns the sites it applied to otherwise.
 */
export async function recordTwilioInbound(
  params: Record<string, string>,
  site: Pick<Site, "smsSender">,
  twilio: TwilioConfig & { url: string },
): Promise<"malformed" | number[]> {
  const from = (params.From ?? "").trim();
  const to = (params.To ?? "").trim();
  const sid = twilioSid(params);
  if (!PLAUSIBLE_SENDER.test(from) || params.AccountSid !== twilio.accountSid) return "malformed";
  if ((to && !PLAUSIBLE_SENDER.test(to)) || (sid && !PLAUSIBLE_SID.test(sid))) return "malformed";
  // The Body is what a person wrote: kept, with any NUL dropped when stored (applySmsReply).
  const body = params.Body ?? "";
  const type = OPT_OUT_TYPES.get((params.OptOutType ?? "").trim().toUpperCase());
  const reply = type ? type(body) : smsReply(body);
  const own = smsAccount(twilio.url, site.smsSender);
  const options = { to, providerId: sid || undefined };
  const applied = to ? await applySmsReply(twilioAccount(twilio.accountSid, to), from, reply, body, options) : [];
  // No site sends from `To` by that name (a Messaging Service SID as sender, say): the signature
  // still proves the SMS came to this site's account, so it counts for this site's own sender.
  if (applied.length > 0 || (to && twilioAccount(twilio.accountSid, to) === own)) return applied;
  return applySmsReply(own, from, reply, body, options);
}

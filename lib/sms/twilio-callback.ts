import type { Site } from "@/db/schema";
import { recordReceipt, type ReceiptResult } from "@/lib/queue/receipts";
import { siteSmsUrl } from "./site-sms-url";
import { siteBaseUrl } from "@/lib/sites/url";
import { parseTwilioUrl, TWILIO_STATUS_PATH, twilioStatusReceipt, type TwilioConfig } from "./twilio";

/** A status callback is a dozen short fields; anything much larger is not one. */
const MAX_BODY = 16_384;

/** The Twilio account a site sends through (its own SMS URL, else SMS_URL), or null when it does not use Twilio. */
export function siteTwilioConfig(site: Pick<Site, "smsUrl">): TwilioConfig | null {
  const found = siteSmsUrl(site);
  if (!found.ok || !found.url?.startsWith("twilio:")) return null;
  try {
    return parseTwilioUrl(found.url);
  } catch {
    return null;
  }
}

/**
 * The URL Twilio signed: the status callback URL the transport gave it (the site's public base
 * URL + TWILIO_STATUS_PATH) and the query string exactly as it came. Behind a reverse proxy,
 * request.url names the internal address (http://127.0.0.1:3000/…), not what Twilio called, so
 * it is rebuilt from the site; only the query is taken from the request, untouched (its raw
 * characters are part of what was signed).
 */
export function twilioSignedUrl(site: Pick<Site, "domain">, requestUrl: string): string {
  const q = requestUrl.indexOf("?");
  const query = q < 0 ? "" : requestUrl.slice(q).split("#")[0];
  return `${siteBaseUrl(site)}${TWILIO_STATUS_PATH}${query === "?" ? "" : query}`;
}

/**
 * The posted form as Twilio sends it (application/x-www-form-urlencoded, each field once), or
 * null for anything else: another content type, an oversized or unreadable body, a repeated field.
 */
export async function readTwilioForm(request: Request): Promise<Record<string, string> | null> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) return null;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return null;
  let text: string;
  try {
    text = await request.text();
  } catch {
    return null;
  }
  if (text.length > MAX_BODY) return null;
  const params: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, key)) return null;
    params[key] = value;
  }
  return params;
}

export type TwilioStatusOutcome = "malformed" | "not_final" | ReceiptResult;

/**
 * Records a signed status callback: a final status (delivered, undelivered, failed) becomes a
 * receipt for the row Twilio's message sid names; a status on the way (queued, sent…) changes
 * nothing. "malformed": the form names no message or status. Only `siteId`'s rows: the signature
 * proves the sender holds that site's token, not another's.
 */
export async function recordTwilioStatus(params: Record<string, string>, siteId: number): Promise<TwilioStatusOutcome> {
  const sid = (params.MessageSid || params.SmsSid || "").trim();
  const status = (params.MessageStatus || params.SmsStatus || "").trim();
  if (!sid || !status || sid.length > 64 || status.length > 64) return "malformed";
  const receipt = twilioStatusReceipt(params);
  if (!receipt) return "not_final";
  return recordReceipt({ channel: "sms", providerMessageId: receipt.providerMessageId, delivered: receipt.delivered, reason: receipt.reason, actor: "twilio", siteId });
}

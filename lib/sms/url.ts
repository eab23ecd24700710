/**
 * SMS transport URLs (smpp://, smpps://, twilio://), read without loading the transports' own
 * libraries: the sites form validates them, and the twilio package is large.
 */

export function parseSmppUrl(url: string) {
  const u = new URL(url);
  if (u.protocol !== "smpp:" && u.protocol !== "smpps:") throw new Error(`Not an SMPP URL (${u.protocol}//): expected smpp://system_id:password@host:port`);
  const tls = u.protocol === "smpps:";
  // Raw query value so that `?source=+3361…` keeps its `+` (form decoding would make it a space).
  const raw = /(?:^|&)source=([^&]*)/.exec(u.search.slice(1))?.[1];
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(u.port) || (tls ? 3550 : 2775),
    tls,
    systemId: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    source: raw ? decodeURIComponent(raw).trim() : "",
    tps: submitsPerSecond(u.searchParams.get("tps")),
  };
}

/**
 * `?tps=50`: the most submit_sm per second the account's contract allows (each part of a long
 * SMS counts). Submits are spaced to keep under it rather than sent until the SMSC answers
 * "throttled"; some SMSCs unbind or bar an account that keeps exceeding it. Absent: no pacing.
 */
function submitsPerSecond(value: string | null): number | null {
  if (value === null) return null;
  const tps = Number(value);
  if (!value.trim() || !Number.isFinite(tps) || tps < 0.1 || tps > 10_000) throw new Error("Invalid SMPP URL: ?tps= must be a number of submits per second from 0.1 to 10000");
  return tps;
}

/**
 * Twilio's Programmable Messaging, configured by one URL (SMS_URL or a site's own):
 * `twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=%2B33612345678`. Any other host is a
 * stand-in for api.twilio.com (a local fake in tests, a regional or proxy host): requests go
 * there instead, over http for loopback hosts and https for the rest.
 */
export type TwilioConfig = { accountSid: string; authToken: string; from?: string; baseUrl?: string };

const TWILIO_HOST = "api.twilio.com";

/** Where Twilio posts delivery reports, relative to the site's base URL (app/api/sms/twilio/status). */
export const TWILIO_STATUS_PATH = "/api/sms/twilio/status";

/** Where Twilio posts the SMS a site's number receives, once set as its "A message comes in" webhook. */
export const TWILIO_INBOUND_PATH = "/api/sms/twilio/inbound";

const isLoopback = (host: string) => host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "[::1]";

/** Reads a twilio:// URL; throws a message naming what is wrong (never the token itself). */
export function parseTwilioUrl(url: string): TwilioConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("Invalid Twilio URL: expected twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=%2B33…");
  }
  if (u.protocol !== "twilio:") throw new Error(`Not a Twilio URL (${u.protocol}//): expected twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com`);
  const accountSid = safeDecode(u.username);
  const authToken = safeDecode(u.password);
  if (!/^AC\w+$/.test(accountSid)) throw new Error("Invalid Twilio URL: the user part must be the account SID (AC…)");
  if (!authToken) throw new Error("Invalid Twilio URL: the auth token (password part) is missing");
  const config: TwilioConfig = { accountSid, authToken };
  const from = rawQueryParam(u.search, "from");
  if (from) config.from = from;
  const host = u.hostname.toLowerCase();
  if (host && host !== TWILIO_HOST) {
    config.baseUrl = `${isLoopback(host) ? "http" : "https"}://${host}${u.port ? `:${u.port}` : ""}`;
  } else if (u.port && u.port !== "443") {
    config.baseUrl = `https://${TWILIO_HOST}:${u.port}`;
  }
  return config;
}

function safeDecode(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A query value percent-decoded but with `+` kept as `+`: `?from=+33612345678` (as people
 * write it) and `?from=%2B33612345678` both mean +33612345678, where form decoding would
 * turn the first into a space.
 */
function rawQueryParam(search: string, name: string): string | undefined {
  for (const pair of search.replace(/^\?/, "").split("&")) {
    const eq = pair.indexOf("=");
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    if (key === name) return safeDecode(eq < 0 ? "" : pair.slice(eq + 1)).trim() || undefined;
  }
  return undefined;
}

/** A phone number in E.164 form (`+` and 7 to 15 digits), as the queue stores SMS recipients. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** Whether an SMS transport URL is complete enough to use. */
export function validSmsUrl(url: string): boolean {
  try {
    if (/^smpps?:\/\//.test(url)) return Boolean(parseSmppUrl(url).host);
    if (url.startsWith("twilio://")) return Boolean(parseTwilioUrl(url).accountSid);
  } catch {
    return false;
  }
  return false;
}

/**
 * What the sites form shows of a transport URL: the password (SMPP) or auth token (Twilio)
 * replaced by a mask, so the secret never reaches a browser. Sent back unchanged, the mask
 * means "keep the stored secret" (`keepSecret`).
 */
export const SECRET_MASK = "********";
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)([^@/?#]*)(@.*)$/i;

export function maskSmsUrl(url: string | null): string | null {
  return url?.replace(USERINFO, (_, head: string, secret: string, rest: string) => (secret ? `${head}${SECRET_MASK}${rest}` : `${head}${rest}`)) ?? null;
}

/**
 * The URL as typed, with a mask put back to the stored secret. "none" when there is no stored
 * secret to keep; "elsewhere" when the mask now names another login, host or kind of account:
 * the stored password is only ever sent where it was typed for, so a changed URL cannot carry it
 * to a server that was never given it (the mask exists so that the secret never leaves).
 */
export function keepSecret(typed: string, stored: string | null): { url: string } | { refused: "none" | "elsewhere" } {
  const m = USERINFO.exec(typed);
  if (!m || m[2] !== SECRET_MASK) return { url: typed };
  const held = stored ? USERINFO.exec(stored) : null;
  if (!held?.[2]) return { refused: "none" };
  if (!mayCarrySecret(typed, stored!)) return { refused: "elsewhere" };
  return { url: `${m[1]}${held[2]}${m[3]}` };
}

const DEFAULT_PORTS: Record<string, string> = { "smpp:": "2775", "smpps:": "3550", "twilio:": "443" };

/**
 * Whether a secret typed for `stored` may go to `typed`: the same login on the same host and
 * port, over the same kind of connection, or moved from smpp to TLS on that host (never back
 * to clear text). Read by the URL parser, so `[2001:db8::1]` and `[2001:db8::2]` differ.
 */
function mayCarrySecret(typed: string, stored: string): boolean {
  const to = endpointOf(typed);
  const from = endpointOf(stored);
  if (!to || !from || to.user !== from.user || to.host !== from.host) return false;
  if (to.kind === from.kind) return to.port === from.port;
  return from.kind === "smpp:" && to.kind === "smpps:";
}

function endpointOf(url: string): { kind: string; user: string; host: string; port: string } | null {
  try {
    const u = new URL(url);
    const kind = u.protocol.toLowerCase();
    return { kind, user: decodeURIComponentSafe(u.username), host: u.hostname.toLowerCase(), port: u.port || DEFAULT_PORTS[kind] || "" };
  } catch {
    return null;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

import type { Msg } from "@/lib/actions/errors";
import { clientIp } from "@/lib/auth/credentials";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { acceptSignup, parseSignupInput, signupLocale, SIGNUP_WINDOW_SECONDS } from "@/lib/newsletters/signup-request";
import { siteForRequest } from "@/lib/sites/resolve";
import type { Site } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { limitedBytes } from "@/lib/http/limited-body";

/**
 * "Receive our news" for forms without JavaScript and for other sites: a POST of
 * `email`, `groups` (repeated, or `groups[]`) and `locale`, form-encoded or JSON. Same checks and
 * answers as the home page's action: 200 {ok:true} for every accepted request (whoever the
 * address is), 400 with field errors, 429 past the per-IP limit. Anyone may call it, from any
 * origin: the answer reveals nothing and a subscription still needs the emailed link.
 */
const MAX_BODY = 16_384;
const CORS = { "Access-Control-Allow-Origin": "*" };

export async function OPTIONS() {
  return new Response(null, {
    status: 204,
    headers: { ...CORS, "Access-Control-Allow-Methods": "POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "86400" },
  });
}

export async function POST(request: Request) {
  const site = await siteForRequest(request.headers);
  const raw = await readBody(request);
  if (raw === null) return reply(400, await failure(site, undefined, { key: "errors.invalidBody" }));
  const parsed = parseSignupInput(raw);
  if (!parsed.ok) return reply(400, await failure(site, localeOf(raw), { key: "errors.checkFields" }, parsed.fieldErrors));
  const outcome = await acceptSignup(site, parsed.data, { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") ?? "" });
  if (outcome.status === "rate_limited") {
    return reply(429, await failure(site, parsed.data.locale, { key: "errors.signupRateLimited" }), { "Retry-After": String(SIGNUP_WINDOW_SECONDS) });
  }
  if (outcome.status === "invalid") return reply(400, await failure(site, parsed.data.locale, { key: "errors.checkFields" }, { [outcome.field]: outcome.msg }));
  return reply(200, { ok: true });
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { ...CORS, "Cache-Control": "no-store", ...headers } });
}

/** Error answers carry the message key (for clients that translate) and its text in the request's locale. */
async function failure(site: Site, requested: Locale | undefined, error: Msg, fields: Record<string, Msg> = {}) {
  const locale = signupLocale(site, requested);
  const t = translatorFor(locale, await messagesFor(locale, site));
  const text = (m: Msg) => ({ key: m.key, message: t(m.key, m.values) });
  return { ok: false, error: text(error), fieldErrors: Object.fromEntries(Object.entries(fields).map(([f, m]) => [f, text(m)])) };
}

function localeOf(raw: unknown): Locale | undefined {
  const value = raw && typeof raw === "object" ? (raw as Record<string, unknown>).locale : undefined;
  return value === "fr" || value === "en" ? value : undefined;
}

/** The body as a plain object, or null when it is not one (wrong type, too large, unreadable). */
async function readBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const bytes = await limitedBytes(request, MAX_BODY);
    if (bytes === null) return null;
    const type = (request.headers.get("content-type") ?? "").toLowerCase();
    // The header as sent: a multipart boundary is case-sensitive (Chrome's ----WebKitFormBoundaryAbC…).
    if (type.startsWith("multipart/form-data")) return fields((await new Response(bytes, { headers: { "content-type": request.headers.get("content-type")! } }).formData()).entries());
    const text = new TextDecoder().decode(bytes);
    if (type.includes("json") || /^\s*[{[]/.test(text)) {
      const value: unknown = JSON.parse(text);
      return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    }
    return fields(new URLSearchParams(text).entries());
  } catch {
    return null;
  }
}

/** Form fields → object; a repeated name becomes a list and PHP-style `groups[]` means `groups`. */
function fields(entries: Iterable<[string, FormDataEntryValue]>) {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of entries) {
    if (typeof value !== "string") continue;
    const key = rawKey.endsWith("[]") ? rawKey.slice(0, -2) : rawKey;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

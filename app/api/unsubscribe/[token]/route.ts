import { and, desc, eq, isNotNull } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, subscriptions } from "@/db/schema";
import { isLocale } from "@/lib/i18n/config";
import { readerLocale, siteLocale } from "@/lib/i18n/reader-locale";
import { findByToken, unsubscribeAll } from "@/lib/newsletters/unsubscribe";
import { siteForRequest } from "@/lib/sites/resolve";

type Ctx = { params: Promise<{ token: string }> };
const noStore = { "Cache-Control": "no-store" };

/**
 * RFC 8058 one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click` to the
 * List-Unsubscribe URL. Every subscription of the address on its site ends at once and the
 * address is suppressed; no sign-in, no confirmation page. The token alone decides.
 */
export async function POST(_request: Request, { params }: Ctx) {
  const { token } = await params;
  const who = await unsubscribeAll(token);
  if (!who) return Response.json({ ok: false, error: "unknown_token" }, { status: 404, headers: noStore });
  return Response.json({ ok: true }, { headers: noStore });
}

/**
 * A person who opens the link in a browser lands on the page where they can leave one group or
 * all, in the language they subscribed in (else the site's). Opening it changes nothing.
 * A link no address holds (mistyped, cut, or from a reset installation) lands on the same page,
 * which says so with a 404 (its not-found.tsx), in the reader's language: there is no
 * subscriber to take it from.
 */
export async function GET(request: Request, { params }: Ctx) {
  const { token } = await params;
  const who = await findByToken(token);
  if (!who) {
    const site = await siteForRequest(request.headers);
    return seeOther(readerLocale(request.headers, siteLocale(site.defaultLocale)), token);
  }
  const [latest] = await db
    .select({ locale: subscriptions.locale })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, who.siteId), eq(subscriptions.email, who.email), isNotNull(subscriptions.locale)))
    .orderBy(desc(subscriptions.updatedAt))
    .limit(1);
  const [site] = await db.select({ defaultLocale: sites.defaultLocale }).from(sites).where(eq(sites.id, who.siteId));
  return seeOther(isLocale(latest?.locale) ? latest.locale : siteLocale(site?.defaultLocale), token);
}

/** To the unsubscribe page; the token is encoded, since an unknown one may hold anything. */
const seeOther = (locale: string, token: string) =>
  new Response(null, { status: 303, headers: { ...noStore, Location: `/${locale}/unsubscribe/${encodeURIComponent(token)}` } });

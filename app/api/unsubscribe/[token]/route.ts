import { and, desc, eq, isNotNull } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, subscriptions } from "@/db/schema";
import { isLocale, locales } from "@/lib/i18n/config";
import { translate } from "@/lib/i18n/resolve";
import { findByToken, unsubscribeAll } from "@/lib/newsletters/unsubscribe";
import { siteForHost } from "@/lib/sites/resolve";

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
 */
export async function GET(request: Request, { params }: Ctx) {
  const { token } = await params;
  const who = await findByToken(token);
  if (!who) {
    const site = await siteForHost(request.headers.get("host"));
    const text = await translate("errors.unsubscribeLinkInvalid", isLocale(site.defaultLocale) ? site.defaultLocale : locales[0], site);
    return new Response(text, { status: 404, headers: { ...noStore, "Content-Type": "text/plain; charset=utf-8" } });
  }
  const [latest] = await db
    .select({ locale: subscriptions.locale })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, who.siteId), eq(subscriptions.email, who.email), isNotNull(subscriptions.locale)))
    .orderBy(desc(subscriptions.updatedAt))
    .limit(1);
  const [site] = await db.select({ defaultLocale: sites.defaultLocale }).from(sites).where(eq(sites.id, who.siteId));
  const locale = isLocale(latest?.locale) ? latest.locale : isLocale(site?.defaultLocale) ? site.defaultLocale : locales[0];
  return new Response(null, { status: 303, headers: { ...noStore, Location: `/${locale}/unsubscribe/${token}` } });
}

import type { NextRequest } from "next/server";
import { currentSite } from "@/lib/sites/current";
import { readerLocale, siteLocale } from "@/lib/i18n/reader-locale";
import { safePath } from "@/lib/safe-path";

/**
 * First visit without a locale (proxy.ts found no remembered one): the browser's language when
 * the app speaks it, else the site's default. The answer depends on the request's headers, so
 * no cache may keep it for another visitor.
 *
 * The Location is relative: a route handler's request.nextUrl carries the server's own address
 * (localhost:3000 under `next start`), and an absolute one built from it sent every first
 * visitor of a real domain to localhost. The browser resolves a relative one against the address
 * it asked for.
 */
export async function GET(request: NextRequest) {
  const site = await currentSite();
  const locale = readerLocale(request.headers, siteLocale(site.defaultLocale));
  // Only same-origin paths (`//evil.example` or `/\evil` would leave the site), percent-encoded as
  // a browser writes them: a raw line break or non-Latin-1 character in Location threw (a 500).
  const path = safePath(request.nextUrl.searchParams.get("to")) ?? "/";
  const [pathname, query = ""] = path.split("?");
  const location = `/${locale}${pathname === "/" ? "" : pathname}${query ? `?${query}` : ""}`;
  return new Response(null, { status: 307, headers: { Location: location, "Cache-Control": "private, no-store", Vary: "Accept-Language, Cookie" } });
}

import { NextResponse, type NextRequest } from "next/server";
import { currentSite } from "@/lib/sites/current";
import { readerLocale, siteLocale } from "@/lib/i18n/reader-locale";

/**
 * First visit without a locale (proxy.ts found no remembered one): the browser's language when
 * the app speaks it, else the site's default. The answer depends on the request's headers, so
 * no cache may keep it for another visitor.
 */
export async function GET(request: NextRequest) {
  const site = await currentSite();
  const locale = readerLocale(request.headers, siteLocale(site.defaultLocale));
  const to = request.nextUrl.searchParams.get("to") ?? "/";
  // Only same-origin paths: `//evil.example` or `/\evil` would leave the site.
  const path = to.startsWith("/") && !to.startsWith("//") && !to.startsWith("/\\") ? to : "/";
  const url = request.nextUrl.clone();
  const [pathname, query = ""] = path.split("?");
  url.pathname = `/${locale}${pathname === "/" ? "" : pathname}`;
  url.search = query ? `?${query}` : "";
  const response = NextResponse.redirect(url);
  response.headers.set("Cache-Control", "private, no-store");
  response.headers.set("Vary", "Accept-Language, Cookie");
  return response;
}

import { NextResponse, type NextRequest } from "next/server";
import { currentSite } from "@/lib/sites/current";
import { isLocale } from "@/lib/i18n/config";

/** First visit without a locale: send the visitor to the site's default locale. */
export async function GET(request: NextRequest) {
  const site = await currentSite();
  const locale = isLocale(site.defaultLocale) ? site.defaultLocale : "fr";
  const to = request.nextUrl.searchParams.get("to") ?? "/";
  // Only same-origin paths: `//evil.example` or `/\evil` would leave the site.
  const path = to.startsWith("/") && !to.startsWith("//") && !to.startsWith("/\\") ? to : "/";
  const url = request.nextUrl.clone();
  const [pathname, query = ""] = path.split("?");
  url.pathname = `/${locale}${pathname === "/" ? "" : pathname}`;
  url.search = query ? `?${query}` : "";
  return NextResponse.redirect(url);
}

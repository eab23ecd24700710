import { NextResponse, type NextRequest } from "next/server";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n/config";

/**
 * Locales and redirects only; never an access check (every page, action and route checks the
 * caller itself). A path with a locale prefix remembers it in a cookie; a path without one goes
 * to the remembered locale, or to /api/locale which knows the site's default locale.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const first = pathname.split("/")[1];
  if (isLocale(first)) {
    // next-intl reads the request's locale from this header (the prefix is the only source).
    const headers = new Headers(request.headers);
    headers.set("X-NEXT-INTL-LOCALE", first);
    // Layouts are not told the path; the management layout sends signed-out visitors to
    // sign-in and back to exactly this page.
    headers.set("x-chora-path", pathname + search);
    const response = NextResponse.next({ request: { headers } });
    if (request.cookies.get(LOCALE_COOKIE)?.value !== first) {
      response.cookies.set(LOCALE_COOKIE, first, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
    }
    return response;
  }
  const remembered = request.cookies.get(LOCALE_COOKIE)?.value;
  const url = request.nextUrl.clone();
  if (isLocale(remembered)) {
    url.pathname = `/${remembered}${pathname === "/" ? "" : pathname}`;
    return NextResponse.redirect(url);
  }
  url.pathname = "/api/locale";
  url.search = `?to=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api|_next|favicon.ico|robots.txt|.*\\.[a-z0-9]+$).*)"],
};

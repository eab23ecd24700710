import { NextResponse, type NextRequest } from "next/server";
import { actionRequestProblem } from "@/lib/actions/request-guard";
import { isLocale, LOCALE_COOKIE } from "@/lib/i18n/config";

/**
 * Locales and redirects, and refusing requests Next would answer with a 500; never an access
 * check (every page, action and route checks the caller itself). A path with a locale prefix remembers it in a cookie; a path without one goes
 * to the remembered locale, or to /api/locale which knows the site's default locale.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const api = pathname === "/api" || pathname.startsWith("/api/");
  // A server action Next would answer with a 500 (it fails decoding it, before any action runs).
  const refused = await actionRequestProblem(request);
  if (refused) {
    return new NextResponse(`Refused: ${refused.reason}.`, { status: refused.status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  // Next answers a bare 500 when a dynamic segment holds a percent-encoding that does not decode
  // (vercel/next.js#92527): the client sent it, so it is told so here, before routing.
  if (!decodes(pathname)) {
    return api
      ? NextResponse.json({ error: "badPath" }, { status: 400, headers: { "Cache-Control": "no-store" } })
      : new NextResponse("Bad request: the address is not valid.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  // Route handlers and files need no locale: they pass untouched (/api/auth, /api/inngest…).
  if (api || FILE.test(pathname)) return NextResponse.next();
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

const FILE = /\.[a-z0-9]+$/;

function decodes(pathname: string) {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

// Everything but Next's own assets goes through, /api and files included, so a path that does
// not decode is refused wherever it points. Next buffers the body of a request its proxy sees
// (10 MB at most, proxyClientMaxBodySize): no /api route takes more (imports are server actions).
export const config = {
  matcher: ["/((?!_next/|favicon.ico$|robots.txt$).*)"],
};

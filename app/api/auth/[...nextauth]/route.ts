import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/next-auth";
import { requestHost } from "@/lib/sites/request-host";

/**
 * Auth.js builds its redirects, forms and links from the request's URL, which in a route handler
 * under `next start` is the server's own address (localhost:3000): its endpoints would send a
 * visitor of any real domain there. They get the URL the visitor asked for instead (the host
 * that picks the site, the proxy's scheme).
 */
async function asAsked(request: NextRequest): Promise<NextRequest> {
  const host = requestHost(request.headers);
  // Only a host, with or without a port: nothing that would move the path.
  if (!host || !/^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host)) return request;
  const own = new URL(request.url);
  const given = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const proto = given === "http" || given === "https" ? given : own.protocol.slice(0, -1);
  let url: URL;
  try {
    // Whole, so that the server's own port does not stay on a host given without one.
    url = new URL(`${proto}://${host}${own.pathname}${own.search}`);
  } catch {
    return request; // a Host that is no host: Auth.js answers it as before
  }
  if (url.href === request.url) return request;
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  return new NextRequest(url, { method: request.method, headers: request.headers, body });
}

export const GET = async (request: NextRequest) => handlers.GET(await asAsked(request));
export const POST = async (request: NextRequest) => handlers.POST(await asAsked(request));

import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch as matches } from "next/experimental/testing/server";
import { config, proxy } from "@/proxy";

const call = (path: string, init?: ConstructorParameters<typeof NextRequest>[1]) => proxy(new NextRequest(`http://localhost${path}`, init));

describe("proxy", () => {
  // Next answers a bare 500 for these (vercel/next.js#92527): the proxy refuses them first.
  it("answers 400 for a path that does not decode, JSON under /api, short text elsewhere", async () => {
    for (const path of ["/api/unsubscribe/%ff", "/api/queue/%ff/eml", "/api/inngest/%C0%AF"]) {
      const response = call(path, { method: path.includes("unsubscribe") ? "POST" : "GET" });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toEqual({ error: "badPath" });
    }
    for (const path of ["/en/manage/queue/%ff", "/en/unsubscribe/%C0%AF", "/%ff", "/fr/x%E0%A4%A.png"]) {
      const response = call(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe("Bad request: the address is not valid.");
    }
  });

  it("lets route handlers and files through untouched, and still picks the locale of pages", () => {
    for (const path of ["/api/auth/callback/credentials", "/api/inngest", "/api/unsubscribe/abc%20def", "/icon.svg"]) {
      const response = call(path, { method: "POST" });
      expect(response.headers.get("x-middleware-next"), path).toBe("1");
      expect(response.headers.get("location"), path).toBeNull();
    }
    const page = call("/en/manage/queue/12?x=1");
    expect(page.headers.get("x-middleware-next")).toBe("1");
    expect(page.headers.get("x-middleware-request-x-chora-path")).toBe("/en/manage/queue/12?x=1");
    expect(call("/manage", { headers: { cookie: "NEXT_LOCALE=fr" } }).headers.get("location")).toMatch(/\/fr\/manage$/);
  });

  it("runs for /api and pages, never for Next's own assets", () => {
    for (const url of ["/api/unsubscribe/%ff", "/api/inngest", "/en/manage/queue/%ff", "/", "/icon.svg"]) expect(matches({ config, url }), url).toBe(true);
    for (const url of ["/_next/static/chunks/a.js", "/favicon.ico", "/robots.txt"]) expect(matches({ config, url }), url).toBe(false);
  });
});

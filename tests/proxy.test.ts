import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch as matches } from "next/experimental/testing/server";
import { config, proxy } from "@/proxy";
import { ACTION_BODY_LIMIT } from "@/lib/newsletters/import-limits";

const call = (path: string, init?: ConstructorParameters<typeof NextRequest>[1]) => proxy(new NextRequest(`http://localhost${path}`, init));

describe("proxy", () => {
  // Next answers a bare 500 for these (vercel/next.js#92527): the proxy refuses them first.
  it("answers 400 for a path that does not decode, JSON under /api, short text elsewhere", async () => {
    for (const path of ["/api/unsubscribe/%ff", "/api/queue/%ff/eml", "/api/inngest/%C0%AF"]) {
      const response = await call(path, { method: path.includes("unsubscribe") ? "POST" : "GET" });
      expect(response.status, path).toBe(400);
      expect(await response.json()).toEqual({ error: "badPath" });
    }
    for (const path of ["/en/manage/queue/%ff", "/en/unsubscribe/%C0%AF", "/%ff", "/fr/x%E0%A4%A.png"]) {
      const response = await call(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toBe("Bad request: the address is not valid.");
    }
  });

  it("lets route handlers and files through untouched, and still picks the locale of pages", async () => {
    for (const path of ["/api/auth/callback/credentials", "/api/inngest", "/api/unsubscribe/abc%20def", "/icon.svg"]) {
      const response = await call(path, { method: "POST" });
      expect(response.headers.get("x-middleware-next"), path).toBe("1");
      expect(response.headers.get("location"), path).toBeNull();
    }
    const page = await call("/en/manage/queue/12?x=1");
    expect(page.headers.get("x-middleware-next")).toBe("1");
    expect(page.headers.get("x-middleware-request-x-chora-path")).toBe("/en/manage/queue/12?x=1");
    expect((await call("/manage", { headers: { cookie: "NEXT_LOCALE=fr" } })).headers.get("location")).toMatch(/\/fr\/manage$/);
  });

  it("answers a server action Next would fail to decode with a 4xx, before it runs; lets a well-formed one through", async () => {
    const action = (body: BodyInit | null, headers: Record<string, string | undefined> = {}) => {
      const all = { "next-action": "7f".repeat(21), origin: "http://localhost", "content-type": "text/plain;charset=UTF-8", ...headers };
      return call("/en/manage/queue", { method: "POST", body, headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)) });
    };
    const refused: [string, Promise<Response>, number][] = [
      ["broken JSON", action("[null,{bad"), 400],
      ["empty body", action(""), 400],
      ["not an array", action('"x"'), 400],
      ["a Map part a text body cannot carry", action('[null,"$Q1"]'), 400],
      ["a Blob part", action('[null,{"file":"$B0"}]'), 400],
      ["an outlined part", action('[null,"$1"]'), 400],
      ["a path from part 0 that leads nowhere", action('[{"a":1},"$0:0:b:c"]'), 400],
      ["a typed array", action('[null,"$A0"]'), 400],
      ["nesting that overflows React's decoder", action(`[null,${"[".repeat(5000)}${"]".repeat(5000)}]`), 400],
      ["multipart without a boundary", action("garbage", { "content-type": "multipart/form-data" }), 400],
      ["multipart cut short", action("--zz\r\nContent-Disposition: form-data; name=\"0\"\r\n\r\n[", { "content-type": "multipart/form-data; boundary=zz" }), 400],
      ["another origin", action("[null,{}]", { origin: "http://evil.example" }), 403],
      ["a null origin", action("[null,{}]", { origin: "null" }), 403],
      ["an empty origin", action("[null,{}]", { origin: "" }), 403],
      ["a declared size over the limit", action("[null]", { "content-length": String(ACTION_BODY_LIMIT + 1) }), 413],
      ["a body over the limit", action(JSON.stringify([null, "x".repeat(ACTION_BODY_LIMIT)])), 413],
    ];
    for (const [name, pending, status] of refused) {
      const response = await pending;
      expect(response.status, name).toBe(status);
      expect(await response.text(), name).toMatch(/^Refused: /);
    }
    // What React really sends: inline values ($D dates, $undefined, an escaped "$$"), a FormData
    // with its parts, and no Origin at all (some clients) or this host's, the proxy's own included.
    const accepted: [string, Promise<Response>][] = [
      ["plain arguments", action('[null,{"id":"12","note":"$$5 off","at":"$D2026-11-27T10:00:00.000Z","gone":"$undefined","n":"$n12"}]')],
      // An object met twice is written once, then referred to by its path from part 0; a value
      // React cannot send (a function…) goes as a temporary reference.
      // Walked without spreading it into arguments, which would overflow the stack.
      ["a list of 200,000 values", action(JSON.stringify([null, new Array(200_000).fill("a")]))],
      ["an object met twice, a temporary reference", action('[{"error":{"key":"errors.x"}},{"again":"$0:0:error","fn":"$T","inf":"$Infinity","zero":"$-0"}]')],
      ["no origin", action("[null,{}]", { origin: undefined })],
      ["forwarded host", call("/en/manage/queue", { method: "POST", body: "[]", headers: { "next-action": "ab", host: "localhost", "x-forwarded-host": "news.example.org", origin: "https://news.example.org", "content-type": "text/plain" } })],
    ];
    const form = new FormData();
    form.append("1_$ACTION_ID_" + "7f".repeat(21), "");
    form.append("0", '["$K1"]');
    form.append("1_name", "Ann");
    accepted.push(["multipart", call("/en/manage/queue", { method: "POST", body: form, headers: { "next-action": "7f".repeat(21), origin: "http://localhost" } })]);
    for (const [name, pending] of accepted) expect((await pending).headers.get("x-middleware-next"), name).toBe("1");
  });

  it("runs for /api and pages, never for Next's own assets", () => {
    for (const url of ["/api/unsubscribe/%ff", "/api/inngest", "/en/manage/queue/%ff", "/", "/icon.svg"]) expect(matches({ config, url }), url).toBe(true);
    for (const url of ["/_next/static/chunks/a.js", "/favicon.ico", "/robots.txt"]) expect(matches({ config, url }), url).toBe(false);
  });
});

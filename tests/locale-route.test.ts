import { beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { GET } from "@/app/api/locale/route";
import { actAs } from "./helpers/request";
import { makeSite } from "./helpers/factories";

// A first visit without a locale in the path and no remembered one (proxy.ts sends it here).
describe("GET /api/locale", () => {
  const hosts = { fr: "langue-fr.example.org", en: "language-en.example.org" };
  beforeAll(async () => {
    await makeSite({ domain: hosts.fr, defaultLocale: "fr" });
    await makeSite({ domain: hosts.en, defaultLocale: "en" });
  });

  async function landing(host: string, headers: Record<string, string>, to = "/") {
    actAs(null, host);
    const response = await GET(new NextRequest(`http://${host}/api/locale?to=${encodeURIComponent(to)}`, { headers }));
    expect(response.status).toBe(307);
    return { to: response.headers.get("location")!, response };
  }

  it("follows the browser's language when the app speaks it", async () => {
    expect((await landing(hosts.fr, { "accept-language": "en-GB,en;q=0.9,fr;q=0.5" })).to).toBe("/en");
    expect((await landing(hosts.en, { "accept-language": "fr-CA, en;q=0.2" }, "/sign-in?next=1")).to).toBe("/fr/sign-in?next=1");
    expect((await landing(hosts.en, { "accept-language": "de, fr;q=0.7" })).to).toBe("/fr");
  });

  it("falls back to the site's default when the browser asks for none of the app's languages", async () => {
    expect((await landing(hosts.fr, { "accept-language": "de-DE,es;q=0.8" })).to).toBe("/fr");
    expect((await landing(hosts.en, {})).to).toBe("/en");
    expect((await landing(hosts.en, { "accept-language": "fr;q=0, de" })).to).toBe("/en");
  });

  it("answers a relative address, whatever host the server sees itself as (the browser stays on the site's domain)", async () => {
    actAs(null, hosts.fr);
    // Under `next start` a route handler's URL is the server's own (localhost), not the domain asked for.
    const response = await GET(new NextRequest(`http://localhost:3000/api/locale?to=${encodeURIComponent("/sign-in")}`, { headers: { host: hosts.fr, "accept-language": "fr" } }));
    expect(response.headers.get("location")).toBe("/fr/sign-in");
  });

  it("prefers the language last chosen here, and tells caches the answer depends on both", async () => {
    const { to, response } = await landing(hosts.fr, { "accept-language": "fr", cookie: "NEXT_LOCALE=en" });
    expect(to).toBe("/en");
    expect(response.headers.get("vary")).toMatch(/Accept-Language/);
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
  });
});

import { describe, expect, it } from "vitest";
import { siteForHost, siteForRequest } from "@/lib/sites/resolve";
import { makeSite } from "../helpers/factories";

/**
 * `news.example.org.` (the fully qualified form, with the root's dot) names the same host as
 * `news.example.org`: browsers send it as typed in the Host header, and DNS resolves it to the
 * same server. It must open the same site, not the default one (another organisation's pages,
 * sign-in and data under this site's domain).
 */
describe("a host written with its trailing dot", () => {
  it("opens the site of that domain, not the default site", async () => {
    await makeSite({ domain: `default-${Date.now()}.example.org`, isDefault: true });
    const site = await makeSite();
    expect((await siteForHost(`${site.domain}.`)).id).toBe(site.id);
    expect((await siteForHost(`${site.domain.toUpperCase()}.:443`)).id).toBe(site.id);
    expect((await siteForRequest(new Headers({ host: "localhost:3000", "x-forwarded-host": `${site.domain}.` }))).id).toBe(site.id);
  });
});

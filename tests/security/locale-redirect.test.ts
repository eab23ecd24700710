import { beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { GET } from "@/app/api/locale/route";
import { actAs } from "../helpers/request";
import { makeSite } from "../helpers/factories";

/**
 * GET /api/locale copies its `to` parameter, decoded, into the Location header. A `to` holding a
 * line break or a character beyond Latin-1 makes the Response constructor throw (an invalid
 * header value), which Next answers with a bare 500: a malformed request must never do that.
 */
describe("GET /api/locale with a `to` that cannot go in a header", () => {
  beforeAll(async () => {
    await makeSite({ domain: "locale-review.example.org", defaultLocale: "fr", isDefault: true });
  });

  const call = (to: string) => {
    actAs(null, "locale-review.example.org");
    return GET(new NextRequest(`http://locale-review.example.org/api/locale?to=${encodeURIComponent(to)}`, { headers: { "accept-language": "fr" } }));
  };

  for (const to of ["/\r\nSet-Cookie: chora=1", "/sign-in\n", "/\u3002evil", "/caf\u00e9?x=\u2603"]) {
    it(`answers ${JSON.stringify(to)} with a redirect to a path of this site, not an exception`, async () => {
      const response = await call(to);
      expect(response.status).toBe(307);
      const location = response.headers.get("location")!;
      expect(location).toMatch(/^\/fr(\/[\x21-\x7e]*)?$/);
    });
  }

  it("still takes an ordinary path and its query along", async () => {
    expect((await call("/sign-in?callbackUrl=%2Ffr%2Fmanage")).headers.get("location")).toBe("/fr/sign-in?callbackUrl=%2Ffr%2Fmanage");
  });
});

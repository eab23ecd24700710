import { describe, expect, it } from "vitest";
import { safePath } from "@/lib/safe-path";

const origin = "https://site.example.org";

describe("safePath", () => {
  it("keeps a same-site path, its query and its fragment", () => {
    for (const p of ["/", "/fr/manage", "/fr/manage/queue?status=error&site=all", "/en/mail#inbox", "/fr/a%20b?q=caf%C3%A9"]) expect(safePath(p)).toBe(p);
  });

  it("refuses anything that leaves the site, or is no path at all", () => {
    for (const p of [
      undefined,
      null,
      "",
      "fr/manage",
      "https://evil.example/",
      "javascript:alert(1)",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example", // a browser drops the tab: //evil.example
      "/\n/evil.example",
      "/.//evil.example", // the dot segment goes, the empty one stays: //evil.example
      "/./\\evil.example",
    ]) {
      expect(safePath(p), JSON.stringify(p)).toBeNull();
    }
  });

  it("percent-encodes what a header cannot carry, and still stays on the site", () => {
    expect(safePath("/。evil")).toBe("/%E3%80%82evil");
    expect(safePath("/fr/groupes/été?q=élan#à")).toBe("/fr/groupes/%C3%A9t%C3%A9?q=%C3%A9lan#%C3%A0");
    expect(safePath("/a b\u0000c")).toBe("/a%20b%00c");
    for (const raw of ["/。evil", "/\uff0e\uff0e/evil", "/%2F%2Fevil.example", "/\u3002/evil", "/\u2215\u2215evil.example", "/😀?x=😀#😀"]) {
      const p = safePath(raw);
      expect(p, raw).not.toBeNull();
      // What Next writes into x-action-redirect or Location: a header value must take it.
      expect(() => new Headers({ "x-action-redirect": p! }), raw).not.toThrow();
      expect(p, raw).toMatch(/^\/[\x21-\x7e]*$/);
      expect(new URL(p!, origin).origin, raw).toBe(origin);
    }
  });
});

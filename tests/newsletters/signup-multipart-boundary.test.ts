import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { POST } from "@/app/api/newsletter/subscribe/route";
import { setOverride } from "@/lib/i18n/overrides";
import { makeSite } from "../helpers/factories";

// A browser posts a multipart form with a boundary of mixed case (Chrome and Safari:
// "----WebKitFormBoundary7MA4YWxkTrZu0gW"). A boundary is case-sensitive (RFC 2046): the signup
// endpoint must read the body with the boundary as sent, not lowercased.
let site: Site;
beforeAll(async () => {
  site = await makeSite({ domain: "multipart.example.org" });
  await setOverride(site.id, "en", "signup_opt1", "News");
  await setOverride(site.id, "fr", "signup_opt1", "Nouvelles");
});

function multipart(boundary: string, fields: Record<string, string>) {
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return `${parts.join("")}--${boundary}--\r\n`;
}

describe("the signup endpoint and a browser's multipart form", () => {
  it("accepts a multipart body whose boundary has capital letters", async () => {
    const boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    const res = await POST(
      new Request("http://localhost/api/newsletter/subscribe", {
        method: "POST",
        headers: { host: site.domain, "x-forwarded-for": "198.51.100.77", "content-type": `multipart/form-data; boundary=${boundary}` },
        body: multipart(boundary, { email: "webkit@example.org", groups: "1", locale: "en" }),
      }),
    );
    expect(`${res.status} ${await res.text()}`).toMatch(/^200 /);
    const subs = await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, "webkit@example.org")));
    expect(subs).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { POST } from "@/app/api/newsletter/subscribe/route";
import { setOverride } from "@/lib/i18n/overrides";
import { runQueue } from "@/lib/queue/run";
import { smtpTransport } from "@/lib/mail/transport";
import { makeSite } from "../helpers/factories";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";

/**
 * "Receive our news" with an address on an internationalised domain name. `.fr` has taken
 * accented names since 2012 (crème.fr, élysée.fr…), and every mail system delivers to them (the
 * domain travels as its ASCII form, xn--crme-6oa.fr). chora's address check (zod's default
 * email pattern, ASCII only) answers "enter a valid email address" to such a person, in the form
 * and in /api/newsletter/subscribe alike, and stores nothing.
 */
let site: Site;
let smtp: SmtpHarness;
beforeAll(async () => {
  smtp = await startSmtpServer();
  site = await makeSite({ domain: "idn.example.org" });
  await setOverride(site.id, "en", "signup_opt1", "News");
  await setOverride(site.id, "fr", "signup_opt1", "Nouvelles");
});
afterAll(() => smtp.close());

const subscribe = (email: string) =>
  POST(
    new Request("http://localhost/api/newsletter/subscribe", {
      method: "POST",
      headers: { host: site.domain, "x-forwarded-for": "203.0.113.50", "content-type": "application/json", "user-agent": "test" },
      body: JSON.stringify({ email, groups: [1], locale: "fr" }),
    }),
  );

describe("an address on an internationalised domain name", () => {
  it("can sign up, and gets its confirmation link", async () => {
    const res = await subscribe("marie@crème.fr");
    expect(res.status).toBe(200);
    const rows = await db.select().from(subscriptions).where(eq(subscriptions.siteId, site.id));
    expect(rows).toHaveLength(1);
    expect(["marie@crème.fr", "marie@xn--crme-6oa.fr"]).toContain(rows[0].email);

    const transport = smtpTransport(smtp.url, 1);
    try {
      expect(await runQueue({ kind: "send", siteId: site.id, runner: "test", transport })).toMatchObject({ sent: 1, failed: 0 });
    } finally {
      transport.close();
    }
    expect(smtp.received).toHaveLength(1);
  });
});

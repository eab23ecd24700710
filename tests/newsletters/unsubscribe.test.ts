import { beforeAll, describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, queue, subscriberKeys, subscriptions, type MessageTemplate, type Site, type User } from "@/db/schema";
import { leaveAction } from "@/app/[locale]/(public)/unsubscribe/[token]/actions";
import { maskEmail, subscriberView } from "@/app/[locale]/(public)/unsubscribe/[token]/subscriber";
import UnsubscribePage from "@/app/[locale]/(public)/unsubscribe/[token]/page";
import { GET, POST } from "@/app/api/unsubscribe/[token]/route";
import { functions } from "@/inngest";
import { newsletterQueueDueSends } from "@/inngest/functions/queue-due-sends";
import { setOverride } from "@/lib/i18n/overrides";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { sendTemplate } from "@/lib/newsletters/send";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

let site: Site;
let admin: User;
let template: MessageTemplate;

beforeAll(async () => {
  site = await makeSite({ domain: "letters.example.org", defaultLocale: "fr" });
  admin = await makeUser(site.id, "admin");
  for (const [id, fr, en] of [[1, "Actualités", "News"], [2, "Offres", "Offers"], [3, "Événements", "Events"]] as const) {
    await setOverride(site.id, "fr", `signup_opt${id}`, fr);
    await setOverride(site.id, "en", `signup_opt${id}`, en);
  }
  [template] = await db
    .insert(messageTemplates)
    .values({ siteId: site.id, name: "Monthly", subject: "Hello", html: "<p>Hi {{email}} <a href='{{unsubscribe_url}}'>leave</a></p>", groupIds: [1, 2, 3] })
    .returning();
  actAs(null, site.domain);
});

/** A confirmed subscriber of the given groups, with the token their emails carry. */
async function subscriber(email: string, groupIds: number[], locale: string | null = "en") {
  await db.insert(subscriptions).values(groupIds.map((groupId) => ({ siteId: site.id, groupId, email, locale, status: "confirmed" as const, source: "screen" as const })));
  return unsubscribeToken(site.id, email);
}
const statuses = async (email: string) =>
  Object.fromEntries(
    (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, email)))).map((s) => [s.groupId, s.status]),
  );
const suppressed = async (email: string) =>
  (await db.select().from(subscriberKeys).where(and(eq(subscriberKeys.siteId, site.id), eq(subscriberKeys.email, email))))[0]?.suppressedAt != null;
/** Who a send of the template to `groups` (plus pasted addresses) reaches. */
async function recipientsOf(groupIds: number[], pasted = "") {
  // The send reads its audience from the stored template, as the screen saves it.
  const [saved] = await db.update(messageTemplates).set({ groupIds, pastedRecipients: pasted }).where(eq(messageTemplates.id, template.id)).returning();
  const send = await sendTemplate(site, saved, { actorId: admin.id });
  const rows = await db.select({ to: queue.recipient }).from(queue).where(eq(queue.messageId, send!.messageId!));
  return rows.map((r) => r.to).sort();
}

const call = (handler: typeof GET | typeof POST, method: string, token: string, headers: Record<string, string> = {}) =>
  handler(
    new Request(`http://localhost/api/unsubscribe/${encodeURIComponent(token)}`, {
      method,
      headers: { host: site.domain, "content-type": "application/x-www-form-urlencoded", ...headers },
      body: method === "POST" ? "List-Unsubscribe=One-Click" : undefined,
    }),
    { params: Promise.resolve({ token }) },
  );

describe("one-click unsubscribe (RFC 8058)", () => {
  it("POST ends every subscription at once and suppresses the address: a later send skips it", async () => {
    const token = await subscriber("ann@example.org", [1, 2, 3]);
    await subscriber("bob@example.org", [2]);
    expect(await recipientsOf([1, 2, 3])).toEqual(["ann@example.org", "bob@example.org"]);

    const res = await call(POST, "POST", token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await statuses("ann@example.org")).toEqual({ 1: "unsubscribed", 2: "unsubscribed", 3: "unsubscribed" });
    expect(await suppressed("ann@example.org")).toBe(true);
    expect(await statuses("bob@example.org")).toEqual({ 2: "confirmed" });

    // Suppressed: not through any group, nor through a pasted list.
    expect(await recipientsOf([1, 2, 3], "ann@example.org\ncarl@example.org")).toEqual(["bob@example.org", "carl@example.org"]);
    // A second click (or a retrying mail client) is answered the same way.
    expect((await call(POST, "POST", token)).status).toBe(200);
  });

  it("GET redirects to the page in the subscription's language, else the site's, and changes nothing", async () => {
    const en = await subscriber("eve@example.org", [1, 2], "en");
    const none = await subscriber("noel@example.org", [1], null);
    const res = await call(GET, "GET", en);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/en/unsubscribe/${en}`);
    expect((await call(GET, "GET", none)).headers.get("location")).toBe(`/fr/unsubscribe/${none}`);
    expect(await statuses("eve@example.org")).toEqual({ 1: "confirmed", 2: "confirmed" });
    expect(await suppressed("eve@example.org")).toBe(false);
  });

  it("unknown and malformed tokens: POST is a 404, GET goes to the page (which says so), never 500, and nothing changes", async () => {
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(subscriptions).where(eq(subscriptions.status, "unsubscribed"));
    const tokens = ["nope", "0".repeat(64), "f".repeat(64), "a".repeat(5000), "../../etc/passwd", "%00", "é".repeat(30), "' or 1=1 --", "", " "];
    for (const token of tokens) {
      const posted = await call(POST, "POST", token);
      expect(posted.status, `POST ${token.slice(0, 20)}`).toBe(404);
      expect(await posted.json()).toEqual({ ok: false, error: "unknown_token" });
      const opened = await call(GET, "GET", token);
      expect(opened.status, `GET ${token.slice(0, 20)}`).toBe(303);
      // The token stays one path segment of the page's address, whatever it holds.
      expect(opened.headers.get("location")).toBe(`/fr/unsubscribe/${encodeURIComponent(token)}`);
    }
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(subscriptions).where(eq(subscriptions.status, "unsubscribed"));
    expect(after).toEqual(before);
  });

  it("an unknown token opened in a browser goes to the page in the reader's language: the remembered one, else the browser's", async () => {
    const to = async (headers: Record<string, string>) => (await call(GET, "GET", "nope", headers)).headers.get("location");
    expect(await to({})).toBe("/fr/unsubscribe/nope"); // the site's default
    expect(await to({ "accept-language": "en-GB,en;q=0.9" })).toBe("/en/unsubscribe/nope");
    expect(await to({ "accept-language": "de-DE,fr;q=0.5,en;q=0.8" })).toBe("/en/unsubscribe/nope");
    expect(await to({ "accept-language": "en;q=0,de" })).toBe("/fr/unsubscribe/nope");
    expect(await to({ "accept-language": "en", cookie: "a=b; NEXT_LOCALE=fr" })).toBe("/fr/unsubscribe/nope");
    expect(await to({ "accept-language": "fr", cookie: "NEXT_LOCALE=en" })).toBe("/en/unsubscribe/nope");
    expect(await to({ "accept-language": ";;,q=,en;q=abc", cookie: "NEXT_LOCALE=xx" })).toBe("/fr/unsubscribe/nope");
    // A token someone holds still goes by their subscription, not by the reader.
    const known = await subscriber("hal@example.org", [1], "fr");
    expect((await call(GET, "GET", known, { "accept-language": "en", cookie: "NEXT_LOCALE=en" })).headers.get("location")).toBe(`/fr/unsubscribe/${known}`);
  });

  it("tokens are long random strings, unrelated to the address", async () => {
    const a = await unsubscribeToken(site.id, "random1@example.org");
    const b = await unsubscribeToken(site.id, "random2@example.org");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(await unsubscribeToken(site.id, "random1@example.org")).toBe(a); // stable per address
  });
});

describe("the unsubscribe page", () => {
  it("shows the masked address and its subscriptions with translated labels", async () => {
    const token = await subscriber("frank.smith@example.org", [1, 3]);
    expect(maskEmail("frank.smith@example.org")).toBe("f••••••h@example.org");
    expect(maskEmail("ab@example.org")).toBe("a•@example.org");
    const fr = await subscriberView(token, "fr");
    expect(fr).toMatchObject({
      masked: "f••••••h@example.org",
      siteName: site.name,
      suppressed: false,
      subscriptions: [
        { groupId: 1, label: "Actualités", status: "confirmed" },
        { groupId: 3, label: "Événements", status: "confirmed" },
      ],
    });
    expect((await subscriberView(token, "en"))!.subscriptions.map((s) => s.label)).toEqual(["News", "Events"]);
    expect(JSON.stringify(fr)).not.toContain("frank.smith");
    expect(await subscriberView("nope", "fr")).toBeNull();
    await expect(UnsubscribePage({ params: Promise.resolve({ locale: "fr", token: "f".repeat(64) }) })).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });

  it("leaving one group keeps the others; leaving all ends everything; the token is checked", async () => {
    const token = await subscriber("gina@example.org", [1, 2, 3]);
    const left = expectSuccess(await run(leaveAction, { token, group: "2" }));
    expect(left).toEqual({ ok: true, data: { left: 2, undo: expect.any(String) } });
    expect(await statuses("gina@example.org")).toEqual({ 1: "confirmed", 2: "unsubscribed", 3: "confirmed" });
    expect(await suppressed("gina@example.org")).toBe(false);
    expect(await recipientsOf([2])).not.toContain("gina@example.org");
    expect(await recipientsOf([1])).toContain("gina@example.org");
    expect((await subscriberView(token, "en"))!.subscriptions.map((s) => [s.label, s.status])).toEqual([
      ["News", "confirmed"],
      ["Offers", "unsubscribed"],
      ["Events", "confirmed"],
    ]);

    // A group the address does not have, or a token nobody holds: refused, nothing changes.
    expectFailure(await run(leaveAction, { token, group: "7" }), "errors.notFound");
    expectFailure(await run(leaveAction, { token: "f".repeat(64), group: "1" }), "errors.unsubscribeLinkInvalid");
    expectFailure(await run(leaveAction, { token: "nope", group: "all" }), "errors.unsubscribeLinkInvalid");
    expectFailure(await run(leaveAction, { token, group: "-1" }), "errors.checkFields");
    expect(await statuses("gina@example.org")).toEqual({ 1: "confirmed", 2: "unsubscribed", 3: "confirmed" });

    expect(expectSuccess(await run(leaveAction, { token, group: "all" }))).toEqual({ ok: true, data: { left: "all" } });
    expect(await statuses("gina@example.org")).toEqual({ 1: "unsubscribed", 2: "unsubscribed", 3: "unsubscribed" });
    expect(await suppressed("gina@example.org")).toBe(true);
    expect(await recipientsOf([1, 2, 3], "gina@example.org")).not.toContain("gina@example.org");
  });
});

describe("newsletter-queue-due-sends (Inngest)", () => {
  it("is served, runs every minute, and queues each due send once", async () => {
    expect(functions).toContain(newsletterQueueDueSends);
    expect(newsletterQueueDueSends.opts).toMatchObject({ id: "newsletter-queue-due-sends", triggers: [{ cron: "* * * * *" }] });

    await subscriber("sched1@example.org", [3]);
    await subscriber("sched2@example.org", [3]);
    const [saved] = await db.update(messageTemplates).set({ groupIds: [3], pastedRecipients: "" }).where(eq(messageTemplates.id, template.id)).returning();
    const scheduled = await sendTemplate(site, saved, { actorId: admin.id, scheduledAt: new Date(Date.now() + 3_600_000) });
    expect(scheduled).toMatchObject({ status: "scheduled" });
    const tick = async () => {
      const t = new InngestTestEngine({ function: newsletterQueueDueSends, events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] });
      const { result, error } = await t.execute();
      expect(error).toBeUndefined();
      return result;
    };
    const rowsOf = () => db.select({ to: queue.recipient }).from(queue).where(eq(queue.messageId, scheduled!.messageId!));

    expect(await tick()).toEqual({ queued: 0 }); // not due yet
    expect(await rowsOf()).toEqual([]);

    await db.update(newsletterSends).set({ scheduledAt: sql`now() - interval '1 minute'` }).where(eq(newsletterSends.id, scheduled!.id));
    expect(await tick()).toEqual({ queued: 1 });
    const rows = (await rowsOf()).map((r) => r.to).sort();
    expect(rows).toEqual(expect.arrayContaining(["sched1@example.org", "sched2@example.org"]));
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, scheduled!.id));
    expect(send).toMatchObject({ status: "queued", recipientCount: rows.length });

    expect(await tick()).toEqual({ queued: 0 }); // the next minute finds nothing more to do
    expect(await rowsOf()).toHaveLength(rows.length);
  });
});

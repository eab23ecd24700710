import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, outboundMessages, queue, subscriptions } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { listGroups } from "@/lib/newsletters/groups";
import { confirmSubscription, signup } from "@/lib/newsletters/signup";
import { countAudience } from "@/lib/newsletters/audience";
import { sendTemplate, audienceOf } from "@/lib/newsletters/send";
import { findByToken, unsubscribeAll } from "@/lib/newsletters/unsubscribe";
import { makeSite, makeUser } from "../helpers/factories";

const tokenIn = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1];

describe("newsletter core", () => {
  it("double opt-in, dedupe across groups and pasted list, suppression after unsubscribe", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    await setOverride(site.id, "fr", "signup_opt1", "Actualités");
    await setOverride(site.id, "en", "signup_opt1", "News");
    await setOverride(site.id, "en", "signup_opt2", "Offers");
    expect((await listGroups(site, "en")).map((g) => [g.id, g.label])).toEqual([[1, "News"], [2, "Offers"]]);

    const who = { ip: "192.0.2.1", userAgent: "test", consentText: "I agree", locale: "en" as const };
    await signup(site, { ...who, email: "ann@example.org", groupIds: [1, 2, 99] });
    await signup(site, { ...who, email: "bob@example.org", groupIds: [2] });
    const subs = await db.select().from(subscriptions).where(eq(subscriptions.siteId, site.id));
    expect(subs.map((s) => [s.email, s.groupId, s.status]).sort()).toEqual([
      ["ann@example.org", 1, "unconfirmed"],
      ["ann@example.org", 2, "unconfirmed"],
      ["bob@example.org", 2, "unconfirmed"],
    ]);
    const confirmMails = await db
      .select({ to: queue.recipient, text: outboundMessages.text })
      .from(queue)
      .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
      .where(and(eq(queue.siteId, site.id), eq(outboundMessages.kind, "subscription_confirm")));
    expect(confirmMails).toHaveLength(2);
    for (const m of confirmMails) expect(await confirmSubscription(tokenIn(m.text))).not.toBeNull();
    expect(await confirmSubscription(tokenIn(confirmMails[0].text))).toBeNull(); // single use

    const [template] = await db
      .insert(messageTemplates)
      .values({ siteId: site.id, name: "T", subject: "Hi {{name}}", html: "<p>Hello {{email}} <a href='{{unsubscribe_url}}'>unsubscribe</a></p>", groupIds: [1, 2], pastedRecipients: "bob@example.org\ncarl@example.org, bad-address" })
      .returning();
    expect(await countAudience(audienceOf(template))).toBe(3);
    const send = await sendTemplate(site, template, { actorId: admin.id });
    expect(send?.recipientCount).toBe(3);
    const rows = await db.select().from(queue).where(eq(queue.messageId, send!.messageId!));
    expect(rows.map((r) => r.recipient).sort()).toEqual(["ann@example.org", "bob@example.org", "carl@example.org"]);
    const annUrl = rows.find((r) => r.recipient === "ann@example.org")!.variables.unsubscribe_url;
    expect(annUrl).toMatch(/\/api\/unsubscribe\/[0-9a-f]{64}$/);

    await unsubscribeAll(annUrl.split("/").pop()!);
    const ann = await findByToken(annUrl.split("/").pop()!);
    expect(ann?.subscriptions.every((s) => s.status === "unsubscribed")).toBe(true);
    const again = await sendTemplate(site, { ...template, pastedRecipients: "ann@example.org\ncarl@example.org" }, { actorId: admin.id });
    const rows2 = await db.select().from(queue).where(eq(queue.messageId, again!.messageId!));
    expect(rows2.map((r) => r.recipient).sort()).toEqual(["bob@example.org", "carl@example.org"]);

    // a confirmed subscriber signing up again stays confirmed
    await signup(site, { ...who, email: "bob@example.org", groupIds: [2] });
    const [bob] = await db.select().from(subscriptions).where(and(eq(subscriptions.email, "bob@example.org"), eq(subscriptions.groupId, 2)));
    expect(bob.status).toBe("confirmed");
  });
});

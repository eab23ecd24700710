import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, outboundMessages, subscriptions, type Site, type User } from "@/db/schema";
import { sendPreviewCount, sendTemplate } from "@/lib/newsletters/send";
import { reportSegments, sendSegments } from "@/lib/newsletters/send-segments";
import { makeSite, makeUser } from "../helpers/factories";

// The send report repeats the segment total the send dialog announced ("7 SMS segments in
// all"), now counted on the rows really queued, each text personalised as the queue sends it.

let site: Site;
let admin: User;
beforeAll(async () => {
  site = await makeSite();
  admin = await makeUser(site.id, "admin");
  const sub = (email: string, phone: string, name: string) => ({ siteId: site.id, groupId: 1, email, phone, name, status: "confirmed" as const, source: "screen" as const });
  await db.insert(subscriptions).values([
    sub("a@example.org", "+33612349001", "Al"),
    sub("b@example.org", "+33612349002", "Al"),
    // A long name pushes this one person's SMS past 160 characters: two segments.
    sub("c@example.org", "+33612349003", "Maximilienne de la Tour d'Auvergne-Lauraguais"),
    sub("d@example.org", "+447911123456", ""),
  ]);
});

const template = async (values: Partial<typeof messageTemplates.$inferInsert>) =>
  (await db.insert(messageTemplates).values({ siteId: site.id, name: "T", subject: "", html: "", groupIds: [1], ...values }).returning())[0];

describe("sendSegments", () => {
  it("totals the segments of an SMS send's rows, as the send dialog counted them before", async () => {
    // 120 characters before the name: "Al" fits one segment, the long name does not.
    const text = `Hello {{name}}, ${"x".repeat(104)} reply STOP to {{phone}}`;
    const sms = await template({ channel: "sms", text, textEdited: true });
    const announced = await sendPreviewCount(site, sms);
    const send = (await sendTemplate(site, sms, { actorId: admin.id }))!;
    expect(await sendSegments(send.messageId!)).toBe(5);
    expect(announced).toMatchObject({ count: 4, segments: 5 });
  });

  it("is worked out once for a queued send's report, then read from the send", async () => {
    const sms = await template({ channel: "sms", text: `Hi {{name}}, ${"y".repeat(150)}`, textEdited: true });
    const send = (await sendTemplate(site, sms, { actorId: admin.id }))!;
    expect(send.status).toBe("queued");
    const counted = await sendSegments(send.messageId!);
    expect(await reportSegments(send)).toBe(counted);
    const [stored] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, send.id));
    expect(stored.segments).toBe(counted);
    // The rows are no longer read: a (hypothetical) change to the stored text leaves the total.
    await db.update(outboundMessages).set({ text: "Hi" }).where(eq(outboundMessages.id, send.messageId!));
    expect(await sendSegments(send.messageId!)).not.toBe(counted);
    expect(await reportSegments(stored)).toBe(counted);
  });

  it("is null for an email send", async () => {
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "e@example.org", status: "confirmed", source: "screen" });
    const letter = await template({ subject: "Hello", html: "<p>Hi <a href='{{unsubscribe_url}}'>leave</a></p>", groupIds: [2] });
    const send = (await sendTemplate(site, letter, { actorId: admin.id }))!;
    expect(await sendSegments(send.messageId!)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, subscriptions } from "@/db/schema";
import { parseAddressList } from "@/lib/newsletters/addresses";
import { countAudience } from "@/lib/newsletters/audience";
import { audienceOf, sendTemplate } from "@/lib/newsletters/send";
import { makeSite, makeUser } from "../helpers/factories";

describe("a pasted list of addresses, as a mail client or a spreadsheet gives them", () => {
  it("keeps the names of `Name <address>` entries, a quoted name with a comma included", () => {
    const list = parseAddressList('Ann Example <Ann@Example.org>, "Dupont, Jean" <jean@example.org>; bob@example.org\n"Eve \\"E\\" Line\r\nTwo" <eve@example.org>\nnot-an-address');
    expect(list.valid).toEqual(["ann@example.org", "jean@example.org", "bob@example.org", "eve@example.org"]);
    expect(Object.fromEntries(list.names)).toEqual({ "ann@example.org": "Ann Example", "jean@example.org": "Dupont, Jean", "eve@example.org": 'Eve "E" Line Two' });
    expect(list.invalid).toEqual(["not-an-address"]);
  });

  it("sends each pasted person under their name; a subscriber's own name wins", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "ann@example.org", name: "Ann Subscriber", status: "confirmed", source: "screen" });
    const [template] = await db
      .insert(messageTemplates)
      .values({ siteId: site.id, name: "T", subject: "Hi", html: "<p>Hello {{name|friend}}</p>", groupIds: [1], pastedRecipients: '"Dupont, Jean" <jean@example.org>\nAnn Pasted <ann@example.org>\nbob@example.org' })
      .returning();
    expect(await countAudience(audienceOf(template))).toBe(3);
    const send = await sendTemplate(site, template, { actorId: admin.id });
    const queued = await db.select({ to: queue.recipient, name: queue.recipientName }).from(queue).where(eq(queue.messageId, send!.messageId!));
    expect(Object.fromEntries(queued.map((r) => [r.to, r.name]))).toEqual({ "ann@example.org": "Ann Subscriber", "jean@example.org": "Dupont, Jean", "bob@example.org": "" });
  });
});

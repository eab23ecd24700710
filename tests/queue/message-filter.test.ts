import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, subscriptions, type Site, type User } from "@/db/schema";
import { saveTemplateAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { scopedQueueFilters } from "@/lib/queue/filters";
import { listQueue, queueWhere } from "@/lib/queue/list";
import { enqueue } from "@/lib/queue/enqueue";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run, type AnyAction } from "../helpers/actions";

// A send report's "every recipient" link: the queue screen narrowed to the send's message, which
// names it by its template's subject and leads back to the report.
let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite({ domain: "message-filter.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "bob@example.org", status: "confirmed", source: "screen" },
  ]);
});

describe("the queue narrowed to one send's message", () => {
  it("lists that send's recipients, names the message by its subject and links its report", async () => {
    // Ids of messages and of sends apart (a fresh database numbers both from 1), so that a query
    // joining the wrong columns cannot find the send by chance.
    await enqueue({ siteId: site.id, message: { kind: "notice", subject: "Earlier", text: "x", fromName: "Org", fromAddress: "org@example.org" }, recipients: [{ address: "x@example.org" }, { address: "y@example.org" }] });
    await enqueue({ siteId: site.id, message: { kind: "notice", subject: "Earlier", text: "x", fromName: "Org", fromAddress: "org@example.org" }, recipients: [{ address: "z@example.org" }] });
    actAs(admin.id, site.domain);
    const saved = await run(saveTemplateAction as AnyAction, {
      locale: "en", name: "Autumn", subject: "Autumn news for {{name}}", html: "<p>Hi</p>", text: "", textEdited: "off",
      fromName: "", fromAddress: "", replyTo: "", groupIds: ["1"], pastedRecipients: "",
    });
    const templateId = Number(/templates\/(\d+)/.exec((saved as { redirect: string }).redirect)![1]);
    const sent = expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(templateId), when: "now" })) as { data: { sendId: number } };
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, sent.data.sendId));

    expect(send.messageId).not.toBe(send.id);
    const scoped = await scopedQueueFilters({ role: "admin" }, site.id, { message: String(send.messageId) });
    expect(scoped.invalid).toEqual([]);
    expect(scoped.message).toEqual({ id: send.messageId, label: "Autumn news for {{name}}", sendId: send.id });
    const rows = (await listQueue(await queueWhere(scoped.filters, scoped.siteId))).rows;
    expect(rows.map((r) => r.recipient).sort()).toEqual(["ann@example.org", "bob@example.org"]);
  });
});

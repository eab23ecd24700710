import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, queue, subscriptions, type Site, type User } from "@/db/schema";
import { saveTemplateAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { newSendRequestKey } from "@/lib/newsletters/send-request-key";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run, type AnyAction } from "../helpers/actions";

let site: Site;
let admin: User;

async function siteWithSubscribers(domain: string) {
  const s = await makeSite({ domain, defaultLocale: "en" });
  await setOverride(s.id, "en", "signup_opt1", "News");
  await db.insert(subscriptions).values([
    { siteId: s.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" },
    { siteId: s.id, groupId: 1, email: "bob@example.org", status: "confirmed", source: "screen" },
  ]);
  return s;
}

beforeAll(async () => {
  site = await siteWithSubscribers("send-once.example.org");
  admin = await makeUser(site.id, "admin");
});

async function newTemplate(on: Site, as: User, name: string) {
  actAs(as.id, on.domain);
  const created = await run(saveTemplateAction as AnyAction, {
    locale: "en", name, subject: "Hello", html: "<p>Hi</p>", text: "", textEdited: "off",
    fromName: "", fromAddress: "", replyTo: "", groupIds: ["1"], pastedRecipients: "",
  });
  return Number(/templates\/(\d+)/.exec((created as { redirect: string }).redirect)![1]);
}

/** "Send now" confirmed in the dialog, which carries the key it drew when it opened. */
const confirmSend = async (templateId: number, requestKey?: string) => {
  const result = expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(templateId), when: "now", requestKey }));
  return (result as { data: { sendId: number } }).data.sendId;
};
const sendsOf = (templateId: number) => db.select().from(newsletterSends).where(eq(newsletterSends.templateId, templateId));
const queued = async (templateId: number) => {
  const messageIds = (await sendsOf(templateId)).map((s) => s.messageId!);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(queue).where(sql`${queue.messageId} in ${messageIds}`);
  return Number(n);
};

describe("the same send confirmation arriving twice", () => {
  it("one after the other (a retry after a lost answer): the second gets the first send, nobody gets two emails", async () => {
    const templateId = await newTemplate(site, admin, "Retried");
    const key = newSendRequestKey();
    const first = await confirmSend(templateId, key);
    expect(await confirmSend(templateId, key)).toBe(first);
    expect((await sendsOf(templateId)).map((s) => s.id)).toEqual([first]);
    expect(await queued(templateId)).toBe(2);
  });

  it("at the same moment (a double submit): one send", async () => {
    const templateId = await newTemplate(site, admin, "Double-clicked");
    const key = newSendRequestKey();
    const ids = await Promise.all([confirmSend(templateId, key), confirmSend(templateId, key), confirmSend(templateId, key)]);
    expect(new Set(ids).size).toBe(1);
    expect(await sendsOf(templateId)).toHaveLength(1);
    expect(await queued(templateId)).toBe(2);
  });

  it("is not what two confirmations are: each opening of the dialog, or a request without a key, is a new send", async () => {
    const templateId = await newTemplate(site, admin, "Sent twice on purpose");
    const a = await confirmSend(templateId, newSendRequestKey());
    const b = await confirmSend(templateId, newSendRequestKey());
    const c = await confirmSend(templateId);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(await queued(templateId)).toBe(6);
  });

  it("with the same key on another site: that site's own send", async () => {
    const key = newSendRequestKey();
    const mine = await confirmSend(await newTemplate(site, admin, "Mine"), key);
    const other = await siteWithSubscribers("send-once-other.example.org");
    const otherTemplate = await newTemplate(other, await makeUser(other.id, "admin"), "Theirs");
    const theirs = await confirmSend(otherTemplate, key);
    expect(theirs).not.toBe(mine);
    expect((await sendsOf(otherTemplate)).map((s) => [s.id, s.siteId])).toEqual([[theirs, other.id]]);
  });

  it("refuses a key that is not one the dialog draws", async () => {
    const templateId = await newTemplate(site, admin, "Odd key");
    const outcome = await run(sendTemplateAction as AnyAction, { id: String(templateId), when: "now", requestKey: "'; drop table" });
    expect(outcome).toMatchObject({ ok: false });
    expect(await sendsOf(templateId)).toEqual([]);
  });
});

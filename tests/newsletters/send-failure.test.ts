import { beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, outboundMessages, queue, subscriptions, type Site, type User } from "@/db/schema";
import { saveTemplateAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { queueDueSends } from "@/lib/newsletters/send";
import { newSendRequestKey } from "@/lib/newsletters/send-request-key";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run, type AnyAction } from "../helpers/actions";

// The database refuses the bulk insert of the recipients a given number of times (a statement
// timeout, a failover, the server restarting in the middle of a send): the last step of a send.
const failures = vi.hoisted(() => ({ left: 0 }));
vi.mock("@/lib/queue/enqueue", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/queue/enqueue")>();
  return {
    ...real,
    addRecipientsSelect: async (input: Parameters<typeof real.addRecipientsSelect>[0]) => {
      if (failures.left > 0) {
        failures.left--;
        throw new Error("canceling statement due to statement timeout");
      }
      return real.addRecipientsSelect(input);
    },
  };
});

let site: Site;
let admin: User;
beforeAll(async () => {
  site = await makeSite({ domain: "send-failure.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "bob@example.org", status: "confirmed", source: "screen" },
  ]);
});

async function newTemplate(name: string) {
  actAs(admin.id, site.domain);
  const created = await run(saveTemplateAction as AnyAction, {
    locale: "en", name, subject: "Hello", html: "<p>Hi</p>", text: "", textEdited: "off",
    fromName: "", fromAddress: "", replyTo: "", groupIds: ["1"], pastedRecipients: "",
  });
  return Number(/templates\/(\d+)/.exec((created as { redirect: string }).redirect)![1]);
}

const sendsOf = (templateId: number) =>
  db.select({ id: newsletterSends.id, status: newsletterSends.status, recipientCount: newsletterSends.recipientCount, messageId: newsletterSends.messageId })
    .from(newsletterSends).where(eq(newsletterSends.templateId, templateId));
const count = async (query: Promise<{ n: number }[]>) => Number((await query)[0].n);
const queueRows = (messageId: number | null) => count(db.select({ n: sql<number>`count(*)::int` }).from(queue).where(eq(queue.messageId, messageId ?? -1)));
const siteMessages = () => count(db.select({ n: sql<number>`count(*)::int` }).from(outboundMessages).where(and(eq(outboundMessages.siteId, site.id), eq(outboundMessages.kind, "newsletter"))));

describe("a send that fails while its recipients are queued", () => {
  it("leaves nothing behind, and pressing Send again sends it once", async () => {
    const templateId = await newTemplate("Letter");
    const messagesBefore = await siteMessages();
    failures.left = 1;
    const outcome = await run(sendTemplateAction as AnyAction, { id: String(templateId), when: "now" });
    expect(outcome).toMatchObject({ ok: false }); // the administrator is told something went wrong
    await queueDueSends(); // the scheduler's next pass
    expect(await sendsOf(templateId), "no send claims to be queued without recipients").toEqual([]);
    expect(await siteMessages()).toBe(messagesBefore);

    expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(templateId), when: "now" }));
    const [send, ...others] = await sendsOf(templateId);
    expect(others).toEqual([]);
    expect(send).toMatchObject({ status: "queued", recipientCount: 2 });
    expect(await queueRows(send.messageId)).toBe(2);
  });

  it("does not use up its request key: the same confirmation pressed again sends it", async () => {
    const templateId = await newTemplate("Letter with a key");
    const again = { id: String(templateId), when: "now", requestKey: newSendRequestKey() };
    failures.left = 1;
    expect(await run(sendTemplateAction as AnyAction, again)).toMatchObject({ ok: false });
    expectSuccess(await run(sendTemplateAction as AnyAction, again));
    const [send, ...others] = await sendsOf(templateId);
    expect(others).toEqual([]);
    expect(send).toMatchObject({ status: "queued", recipientCount: 2 });
    expect(await queueRows(send.messageId)).toBe(2);
  });

  it("scheduled, stays scheduled until a pass of the scheduler queues it, and holds back no other send", async () => {
    const first = await newTemplate("Later letter");
    const second = await newTemplate("Later letter, same hour");
    const at = new Date(Date.now() + 3600_000).toISOString();
    for (const id of [first, second]) expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(id), when: "later", scheduledAt: at }));
    const [scheduled] = await sendsOf(first);
    const [next] = await sendsOf(second);
    // Due a second apart: the pass takes the first one first, and it fails.
    await db.update(newsletterSends).set({ scheduledAt: new Date(Date.now() - 2000) }).where(eq(newsletterSends.id, scheduled.id));
    await db.update(newsletterSends).set({ scheduledAt: new Date(Date.now() - 1000) }).where(eq(newsletterSends.id, next.id));
    failures.left = 1;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await queueDueSends()).toBe(1);
    } finally {
      logged.mockRestore();
    }
    expect(await sendsOf(first)).toMatchObject([{ status: "scheduled", recipientCount: 0 }]);
    expect(await sendsOf(second)).toMatchObject([{ status: "queued", recipientCount: 2 }]);
    expect(await queueDueSends()).toBe(1);
    expect(await sendsOf(first)).toMatchObject([{ status: "queued", recipientCount: 2 }]);
    expect(await queueRows(scheduled.messageId)).toBe(2);
  });
});

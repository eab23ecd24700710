import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, subscriptions, users, type Site, type User } from "@/db/schema";
import { cancelSendAction, countSendAction, saveTemplateAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { queueDueSends } from "@/lib/newsletters/send";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run, type AnyAction } from "../helpers/actions";

// The send dialog warns when the template went out in the last day, or is scheduled: two admins
// pressing "Send" on the same letter, or one who forgot, would otherwise send it twice.

let site: Site;
let marie: User;
let paul: User;

beforeAll(async () => {
  site = await makeSite({ domain: "recent-send.example.org" });
  marie = await makeUser(site.id, "admin", { name: "Marie Curie" });
  paul = await makeUser(site.id, "admin", { name: "" });
  await setOverride(site.id, "fr", "signup_opt1", "Nouvelles");
  await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" });
});

async function newTemplate(name: string) {
  actAs(marie.id, site.domain);
  const created = await run(saveTemplateAction as AnyAction, {
    locale: "fr", name, subject: "Nouvelles", html: "<p>Bonjour</p>", text: "", textEdited: "off", fromName: "", fromAddress: "", replyTo: "", groupIds: ["1"], pastedRecipients: "",
  });
  return Number(/templates\/(\d+)/.exec((created as { redirect: string }).redirect)![1]);
}

/** What the dialog is told, opened by `who`. */
async function dialogFor(who: User, id: number) {
  actAs(who.id, site.domain);
  return (expectSuccess(await run(countSendAction as AnyAction, { id: String(id) })) as { data: { count: number; recent: unknown } }).data;
}

describe("the send dialog's warning about a recent send", () => {
  it("says who sent it and when, to the other admin too; a day later it is gone", async () => {
    const id = await newTemplate("Lettre de mai");
    expect((await dialogFor(marie, id)).recent).toBeNull();

    actAs(marie.id, site.domain);
    const sent = expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(id), when: "now" })) as { data: { sendId: number } };
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, sent.data.sendId));
    expect(await dialogFor(paul, id)).toMatchObject({ count: 1, recent: { id: send.id, at: send.queuedAt!.toISOString(), scheduled: false, by: "Marie Curie" } });

    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await db.update(newsletterSends).set({ createdAt: dayAgo, queuedAt: dayAgo }).where(eq(newsletterSends.id, send.id));
    expect((await dialogFor(paul, id)).recent).toBeNull();
  });

  it("names a scheduled send, by the author's address when they have no name; not once it is cancelled", async () => {
    const id = await newTemplate("Lettre de juin");
    const at = new Date(Date.now() + 3 * 86_400_000);
    actAs(paul.id, site.domain);
    const scheduled = expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(id), when: "later", scheduledAt: at.toISOString() })) as { data: { sendId: number } };
    expect((await dialogFor(marie, id)).recent).toEqual({ id: scheduled.data.sendId, at: at.toISOString(), scheduled: true, by: paul.email });

    actAs(paul.id, site.domain);
    expectSuccess(await run(cancelSendAction as AnyAction, { id: scheduled.data.sendId }));
    expect((await dialogFor(marie, id)).recent).toBeNull();
  });

  it("counts a scheduled send from when it went out, not from when it was scheduled", async () => {
    const id = await newTemplate("Lettre d’août");
    actAs(marie.id, site.domain);
    const scheduled = expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(id), when: "later", scheduledAt: new Date(Date.now() + 3600_000).toISOString() })) as { data: { sendId: number } };
    // Scheduled three days ago for an hour ago: it goes out now.
    await db.update(newsletterSends).set({ createdAt: new Date(Date.now() - 3 * 86_400_000), scheduledAt: new Date(Date.now() - 3600_000) }).where(eq(newsletterSends.id, scheduled.data.sendId));
    await queueDueSends();
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, scheduled.data.sendId));
    expect(send.status).toBe("queued");
    expect((await dialogFor(paul, id)).recent).toEqual({ id: send.id, at: send.queuedAt!.toISOString(), scheduled: false, by: "Marie Curie" });
  });

  it("an author whose account is gone: no name", async () => {
    const id = await newTemplate("Lettre de juillet");
    const gone = await makeUser(site.id, "admin");
    actAs(gone.id, site.domain);
    expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(id), when: "now" }));
    await db.delete(users).where(eq(users.id, gone.id));
    expect((await dialogFor(marie, id)).recent).toMatchObject({ scheduled: false, by: null });
  });
});

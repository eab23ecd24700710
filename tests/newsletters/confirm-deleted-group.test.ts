import { beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, subscriptions, type Site, type User } from "@/db/schema";
import { saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { confirmSubscription, pendingConfirmation, signup } from "@/lib/newsletters/signup";
import { leaveGroup, undoLeave } from "@/lib/newsletters/undo-leave";
import { findByToken } from "@/lib/newsletters/unsubscribe";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run, type AnyAction } from "../helpers/actions";

// A group whose only members left can be deleted (emptying its labels): its unsubscriptions stay
// as the record that they left. A confirmation link mailed before the deletion must not bring
// one of them back into a group no screen shows any more.

let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite({ domain: "confirm-deleted-group.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
  for (const id of [21, 22]) {
    await setOverride(site.id, "en", `signup_opt${id}`, `Group ${id}`);
    await setOverride(site.id, "fr", `signup_opt${id}`, `Groupe ${id}`);
  }
});

const statusIn = async (email: string, groupId: number) =>
  (await db.select({ status: subscriptions.status }).from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, email), eq(subscriptions.groupId, groupId))))[0]?.status;

async function linkTokenFor(email: string) {
  const [mail] = await db
    .select({ text: outboundMessages.text })
    .from(outboundMessages)
    .innerJoin(queue, eq(queue.messageId, outboundMessages.id))
    .where(and(eq(queue.siteId, site.id), eq(queue.recipient, email)))
    .orderBy(desc(queue.id))
    .limit(1);
  return /token=([A-Za-z0-9_-]+)/.exec(mail.text!)![1];
}

describe("a confirmation link for a group deleted since it was mailed", () => {
  it("confirms the groups still there and leaves the deleted one's unsubscription as it was", async () => {
    actAs(admin.id, site.domain);
    const email = "back@example.org";
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: 21, email, status: "unsubscribed", source: "signup", unsubscribedAt: new Date() },
      { siteId: site.id, groupId: 22, email, status: "unsubscribed", source: "signup", unsubscribedAt: new Date() },
    ]);
    // The person signs up again for both; the link waits in their mailbox.
    await signup(site, { email, groupIds: [21, 22], locale: "en", ip: "192.0.2.8", userAgent: "test", consentText: "Yes" });
    const token = await linkTokenFor(email);
    // Group 21 has no one in it (only an unsubscription): an administrator deletes it.
    expectSuccess(await run(saveTranslationAction as AnyAction, { key: "signup_opt21", fr: "", en: "" }));

    expect(await pendingConfirmation(site.id, token)).toEqual({ email, groupIds: [22] });
    expect(await confirmSubscription(token, site.id)).toMatchObject({ email, groupIds: [22] });
    expect(await statusIn(email, 21)).toBe("unsubscribed");
    expect(await statusIn(email, 22)).toBe("confirmed");
  });

  it("a link whose every group was deleted confirms nothing", async () => {
    actAs(admin.id, site.domain);
    const email = "gone@example.org";
    await setOverride(site.id, "en", "signup_opt23", "Group 23");
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 23, email, status: "unsubscribed", source: "signup", unsubscribedAt: new Date() });
    await signup(site, { email, groupIds: [23], locale: "en", ip: "192.0.2.9", userAgent: "test", consentText: "Yes" });
    const token = await linkTokenFor(email);
    expectSuccess(await run(saveTranslationAction as AnyAction, { key: "signup_opt23", fr: "", en: "" }));
    expect(await pendingConfirmation(site.id, token)).toBeNull();
    expect(await confirmSubscription(token, site.id)).toBeNull();
    expect(await statusIn(email, 23)).toBe("unsubscribed");
  });

  it("undoing a leave does not bring the person back into a group deleted since", async () => {
    actAs(admin.id, site.domain);
    const email = "undo@example.org";
    await setOverride(site.id, "en", "signup_opt24", "Group 24");
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 24, email, status: "confirmed", source: "signup", confirmedAt: new Date() });
    const token = await unsubscribeToken(site.id, email);
    const ticket = await leaveGroup((await findByToken(token))!, token, 24);
    // Its only member left: the group can be deleted, and is, before the person presses "undo".
    expectSuccess(await run(saveTranslationAction as AnyAction, { key: "signup_opt24", fr: "", en: "" }));
    expect(await undoLeave((await findByToken(token))!, token, 24, ticket!)).toBe(false);
    expect(await statusIn(email, 24)).toBe("unsubscribed");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, subscriptions, type Site, type User } from "@/db/schema";
import { subscribeAction } from "@/app/[locale]/(public)/newsletter/actions";
import { addSubscriberAction, moveSubscriptionsAction, pasteSubscribersAction, removeSubscriptionsAction } from "@/app/[locale]/manage/subscriptions/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { countAudience } from "@/lib/newsletters/audience";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { confirmSubscription } from "@/lib/newsletters/signup";
import { unsubscribeAll, unsubscribeGroup } from "@/lib/newsletters/unsubscribe";
import { actAs, fakeRequest } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";

// Someone who left a group comes back only by clicking a confirmation link themselves: not
// because someone else typed their address into the public form, nor because an administrator
// adds, pastes or imports an old list (lib/newsletters/subscriptions/planned-outcome.ts, AddOutcome).
let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite({ domain: "consent.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await setOverride(site.id, "fr", "signup_opt1", "Actualités");
  await setOverride(site.id, "en", "signup_opt2", "Archive");
  await setOverride(site.id, "fr", "signup_opt2", "Archives");
});

const statusOf = async (email: string, groupId: number) =>
  (await db.select({ status: subscriptions.status }).from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, groupId), eq(subscriptions.email, email))))[0]?.status;

const idOf = async (email: string, groupId: number) =>
  (await db.select({ id: subscriptions.id }).from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, groupId), eq(subscriptions.email, email))))[0].id;

/** Adds `email` to group 1 as an administrator, then has the person leave group 1 from their unsubscribe page. */
async function subscribedThenLeft(email: string) {
  actAs(admin.id, site.domain);
  expectSuccess(await run(addSubscriberAction as AnyAction, { group: "1", email, name: "", phone: "" }));
  await unsubscribeGroup(await unsubscribeToken(site.id, email), 1);
  expect(await statusOf(email, 1)).toBe("unsubscribed");
}

/** Anyone (not the person) types the address into the public "Receive our news" form. */
async function strangerSignsUp(email: string, ip: string) {
  actAs(null, site.domain);
  fakeRequest.ip = ip;
  const fd = new FormData();
  fd.append("email", email);
  fd.append("groups", "1");
  fd.append("locale", "en");
  fd.append("website", "");
  expectSuccess(await run(subscribeAction as AnyAction, fd));
}

/** The token of the latest confirmation email to `email`. */
async function confirmationToken(email: string) {
  const mails = await db
    .select({ text: outboundMessages.text })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .where(and(eq(queue.siteId, site.id), eq(queue.recipient, email), eq(outboundMessages.kind, "subscription_confirm")))
    .orderBy(queue.id);
  return /token=([A-Za-z0-9_-]+)/.exec(mails.at(-1)!.text)![1];
}

describe("an unsubscribed person stays out until they confirm again", () => {
  it("a signup nobody confirmed does not let an administrator re-confirm someone who left the group", async () => {
    const email = "left-once@example.org";
    await subscribedThenLeft(email);
    await strangerSignsUp(email, "198.51.100.10");
    expect(await statusOf(email, 1), "the signup alone lifted the unsubscription").toBe("unsubscribed");
    // The person never clicked a confirmation link. The administrator now adds the address again:
    actAs(admin.id, site.domain);
    const outcome = await run(addSubscriberAction as AnyAction, { group: "1", email, name: "", phone: "" });
    expect(await statusOf(email, 1), "the administrator re-confirmed someone who unsubscribed").not.toBe("confirmed");
    expectFailure(outcome, "errors.unsubscribedAddress");
  });

  it("…nor does a paste of the address", async () => {
    const email = "left-twice@example.org";
    await subscribedThenLeft(email);
    await strangerSignsUp(email, "198.51.100.11");
    actAs(admin.id, site.domain);
    expect(expectSuccess(await run(pasteSubscribersAction as AnyAction, { group: "1", addresses: email }))).toMatchObject({ data: { refused: [email] } });
    expect(await statusOf(email, 1)).toBe("unsubscribed");
  });

  it("a signup nobody confirmed does not make a pasted recipient list reach someone who unsubscribed", async () => {
    const email = "left-thrice@example.org";
    await subscribedThenLeft(email);
    const spec = { siteId: site.id, groupIds: [], pasted: email };
    expect(await countAudience(spec)).toBe(0);
    await strangerSignsUp(email, "198.51.100.12");
    expect(await countAudience(spec), "the unconfirmed signup lifted the unsubscription").toBe(0);
  });

  it("the person's own click on the emailed link brings them back, once", async () => {
    const email = "came-back@example.org";
    await subscribedThenLeft(email);
    await strangerSignsUp(email, "198.51.100.13");
    const token = await confirmationToken(email);
    expect(await confirmSubscription(token)).toMatchObject({ siteId: site.id, email, groupIds: [1] });
    expect(await statusOf(email, 1)).toBe("confirmed");
    expect(await countAudience({ siteId: site.id, groupIds: [1], pasted: "" })).toBeGreaterThan(0);
    expect(await confirmSubscription(token)).toBeNull();

    // Left again, signed up again by someone else, then "unsubscribe from everything" (the
    // one-click link of an old newsletter): the link mailed in between is dead.
    await unsubscribeGroup(await unsubscribeToken(site.id, email), 1);
    await strangerSignsUp(email, "198.51.100.14");
    const pending = await confirmationToken(email);
    expect(pending).not.toBe(token);
    await unsubscribeAll(await unsubscribeToken(site.id, email));
    expect(await confirmSubscription(pending)).toBeNull();
    expect(await statusOf(email, 1)).toBe("unsubscribed");
  });

  it("deleting the record of an unsubscription does not let the address be re-added as confirmed", async () => {
    const email = "left-deleted@example.org";
    await subscribedThenLeft(email);
    actAs(admin.id, site.domain);
    const removed = expectSuccess(await run(removeSubscriptionsAction as AnyAction, { group: "1", ids: [String(await idOf(email, 1))] }));
    expect(removed).toMatchObject({ data: { count: 0, kept: 1 } });
    // An old spreadsheet is pasted back in a month later.
    await run(pasteSubscribersAction as AnyAction, { group: "1", addresses: email });
    expect(await statusOf(email, 1), "someone who unsubscribed is confirmed again without asking").toBe("unsubscribed");
  });

  it("moving it to another group leaves the record behind too (and takes a copy along)", async () => {
    const email = "left-moved@example.org";
    await subscribedThenLeft(email);
    actAs(admin.id, site.domain);
    const moved = expectSuccess(await run(moveSubscriptionsAction as AnyAction, { group: "1", to: "2", ids: [String(await idOf(email, 1))] }));
    expect(moved).toMatchObject({ data: { moved: 0, merged: 0, kept: 1 } });
    expect([await statusOf(email, 1), await statusOf(email, 2)]).toEqual(["unsubscribed", "unsubscribed"]);
    await run(pasteSubscribersAction as AnyAction, { group: "1", addresses: email });
    expect(await statusOf(email, 1)).toBe("unsubscribed");
    // Moved again from the archive: one copy in each group, never a duplicate.
    const back = expectSuccess(await run(moveSubscriptionsAction as AnyAction, { group: "2", to: "1", ids: [String(await idOf(email, 2))] }));
    expect(back).toMatchObject({ data: { moved: 0, merged: 1, kept: 1 } });
    expect([await statusOf(email, 1), await statusOf(email, 2)]).toEqual(["unsubscribed", "unsubscribed"]);
  });
});

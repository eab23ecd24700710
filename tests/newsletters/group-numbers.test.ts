import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, subscriptions, type Site, type User } from "@/db/schema";
import { addSubscriberAction, createGroupAction, moveSubscriptionsAction } from "@/app/[locale]/manage/subscriptions/actions";
import { saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { removeOverride, setOverride, siteOverrides } from "@/lib/i18n/overrides";
import { addTranslationKey } from "@/lib/i18n/edit";
import type { ActionError } from "@/lib/actions/errors";
import { createGroup, groupCounts, listGroups, nextGroupId } from "@/lib/newsletters/groups";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { unsubscribeGroup } from "@/lib/newsletters/unsubscribe";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";

let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite({ domain: "group-numbers.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await setOverride(site.id, "fr", "signup_opt1", "Actualités");
});

/** "New group" as the subscriptions screen submits it; the number it was given. */
async function newGroup(en: string, fr: string) {
  const created = await run(createGroupAction as AnyAction, { locale: "en", fr, en });
  return Number(/\/manage\/subscriptions\/(\d+)/.exec((created as { redirect: string }).redirect)![1]);
}

async function label(id: number, en: string, fr: string) {
  await setOverride(site.id, "en", `signup_opt${id}`, en);
  await setOverride(site.id, "fr", `signup_opt${id}`, fr);
}

const addTo = (group: number, email: string) => run(addSubscriberAction as AnyAction, { group: String(group), email, name: "", phone: "" });
/** Deleting a group: emptying its labels in the internationalisation screen. */
const emptyLabels = (id: number) => run(saveTranslationAction as AnyAction, { key: `signup_opt${id}`, fr: "", en: "" });
const rowsOf = (group: number) => db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, group)));

describe("deleting a group", () => {
  it("is refused while people are in it, saying how many; the labels stay", async () => {
    actAs(admin.id, site.domain);
    await label(2, "Volunteers", "Bénévoles");
    expectSuccess(await addTo(2, "volunteer@example.org"));
    expectSuccess(await addTo(2, "helper@example.org"));
    const refused = expectFailure(await emptyLabels(2), "errors.groupHasSubscribers");
    expect(refused.error.values).toEqual({ id: 2, count: 2 });
    expect((await listGroups(site, "en")).find((g) => g.id === 2)?.labels).toEqual({ en: "Volunteers", fr: "Bénévoles" });
  });

  it("is not what emptying one language does: the group keeps its other label", async () => {
    actAs(admin.id, site.domain);
    expectSuccess(await run(saveTranslationAction as AnyAction, { key: "signup_opt2", fr: "", en: "Volunteers" }));
    expect((await listGroups(site, "en")).find((g) => g.id === 2)?.labels).toEqual({ en: "Volunteers" });
    await setOverride(site.id, "fr", "signup_opt2", "Bénévoles");
  });

  it("is accepted once its people are moved elsewhere; who left stays on record, and no new group takes its number", async () => {
    actAs(admin.id, site.domain);
    // One of them left the group from their unsubscribe page; the other is moved to News.
    await unsubscribeGroup(await unsubscribeToken(site.id, "helper@example.org"), 2);
    const [volunteer] = (await rowsOf(2)).filter((r) => r.status === "confirmed");
    expectSuccess(await run(moveSubscriptionsAction as AnyAction, { group: "2", to: "1", ids: [String(volunteer.id)] }));
    expectSuccess(await emptyLabels(2));
    expect((await listGroups(site, "en")).map((g) => g.id)).not.toContain(2);
    expect((await rowsOf(2)).map((r) => [r.email, r.status])).toEqual([["helper@example.org", "unsubscribed"]]);
    const board = await newGroup("Board", "Bureau");
    expect(board).toBe(3);
    expect(await rowsOf(board)).toEqual([]);
  });
});

describe("a new group's number", () => {
  it("is not one whose subscribers outlived their labels (removed before deleting was checked)", async () => {
    actAs(admin.id, site.domain);
    const old = await newGroup("Old", "Ancien");
    expectSuccess(await addTo(old, "kept@example.org"));
    await removeOverride(site.id, "en", `signup_opt${old}`);
    await removeOverride(site.id, "fr", `signup_opt${old}`);
    const id = await newGroup("Fresh", "Nouveau");
    expect(id).toBe(old + 1);
    expect((await groupCounts(site.id)).get(id)?.confirmed ?? 0, `new group ${id} already has confirmed subscribers who never asked for it`).toBe(0);
  });

  it("is not one a template still sends to", async () => {
    actAs(admin.id, site.domain);
    const listed = await newGroup("Listed", "Listé");
    await db.insert(messageTemplates).values({ siteId: site.id, name: "Monthly", subject: "Hi", html: "<p>Hi</p>", groupIds: [1, listed] });
    expectSuccess(await emptyLabels(listed));
    expect(await newGroup("Later", "Plus tard")).toBe(listed + 1);
  });

  it("is the one the subscriptions screen announces", async () => {
    actAs(admin.id, site.domain);
    const announced = await nextGroupId(site.id);
    expect(await newGroup("Announced", "Annoncé")).toBe(announced);
  });

  it("is not a namespace another key uses, which the label would clash with", async () => {
    const other = await makeSite({ domain: "group-namespace.example.org", defaultLocale: "en" });
    await setOverride(other.id, "en", "signup_opt1.note", "A note");
    expect(await createGroup(other, { en: "First" })).toBe(2);
    expect((await siteOverrides(other.id)).en).toMatchObject({ "signup_opt1.note": "A note", signup_opt2: "First" });
  });
});

describe("creating groups at the same moment", () => {
  it("gives each of four concurrent creations its own number and its own labels", async () => {
    const busy = await makeSite({ domain: "groups-race.example.org", defaultLocale: "en" });
    await setOverride(busy.id, "en", "signup_opt1", "News");
    // Four requests in flight together, each reading the site's numbers, then writing the next.
    const names = ["Sport", "Music", "Theatre", "Youth"];
    const ids = await Promise.all(names.map((n) => createGroup(busy, { fr: n, en: n })));
    expect([...ids].sort()).toEqual([2, 3, 4, 5]);
    const groups = await listGroups(busy, "en");
    expect(groups.map((g) => g.label).sort()).toEqual(["Music", "News", "Sport", "Theatre", "Youth"]);
    for (const [i, id] of ids.entries()) expect(groups.find((g) => g.id === id)?.labels).toEqual({ en: names[i], fr: names[i] });
  });

  it("never writes over a group key an administrator adds by hand in the translation editor at that moment", async () => {
    const busy = await makeSite({ domain: "groups-race-by-hand.example.org", defaultLocale: "en" });
    const n = await nextGroupId(busy.id);
    const [created, byHand] = await Promise.allSettled([createGroup(busy, { en: "New" }), addTranslationKey(busy.id, `signup_opt${n}`, { en: "Typed" })]);
    if (created.status === "rejected") throw created.reason;
    const labels = new Map((await listGroups(busy, "en")).map((g) => [g.id, g.label]));
    expect(labels.get(created.value)).toBe("New");
    // Whichever came first keeps the number: the other gets the next one, or is told the key exists.
    if (byHand.status === "fulfilled") expect([created.value, labels.get(n)]).toEqual([n + 1, "Typed"]);
    else expect([created.value, (byHand.reason as ActionError).msg.key]).toEqual([n, "errors.keyExists"]);
  });
});

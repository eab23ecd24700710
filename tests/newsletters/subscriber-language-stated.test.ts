import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { setSubscriptionsLocaleAction } from "@/app/[locale]/manage/subscriptions/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { audienceRows, countAudience, type AudienceSpec } from "@/lib/newsletters/audience";
import { signup } from "@/lib/newsletters/signup";
import { moveSubscriptions } from "@/lib/newsletters/subscriptions/move";
import { setSubscriptionPhone } from "@/lib/newsletters/subscriptions/set-phone";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run } from "../helpers/actions";

/**
 * A person's language for a one-language template is the one they stated last among their
 * confirmed subscriptions in the send's groups (`locale_set_at`, newestLanguage in
 * lib/newsletters/audience-language.ts). It used to be the most recently *updated* subscription's, so any
 * edit that says nothing about language (a signup typed for a group already confirmed, a number
 * set, a move) switched the person to the other language's edition. The fixtures below state
 * each subscription's language at a given time (`localeSetAt`), as signup, add, import and
 * "Set language…" do, and make `updatedAt` disagree with it where that matters.
 */
let site: Site;
let admin: User;
const DAY = 86_400_000;
const long = new Date(Date.now() - 30 * DAY);
const lately = new Date(Date.now() - DAY);
const spec = (readers: string, groupIds = [1, 2]): AudienceSpec => ({ siteId: site.id, groupIds, pasted: "", readers, siteLocale: "fr" });
async function recipients(s: AudienceSpec) {
  const result = await db.execute(sql`select recipient from (${await audienceRows(s, "https://x.example.org")}) as r`);
  return rows<{ recipient: string }>(result).map((r) => r.recipient).sort();
}
/** Whether `email` is among the readers of `readers` for groups `groupIds` (other people of the file ignored). */
const reads = async (email: string, readers: string, groupIds = [1, 2]) => (await recipients(spec(readers, groupIds))).includes(email);

beforeAll(async () => {
  site = await makeSite({ domain: "bilingual.example.org", defaultLocale: "fr" });
  admin = await makeUser(site.id, "admin");
  for (const [id, fr, en] of [[1, "Nouvelles", "News"], [2, "Offres", "Offers"], [3, "Agenda", "Events"]] as const) {
    await setOverride(site.id, "fr", `signup_opt${id}`, fr);
    await setOverride(site.id, "en", `signup_opt${id}`, en);
  }
  // Joined group 1 in French long ago, then group 2 in English: an English reader now.
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "mixed@example.org", locale: "fr", localeSetAt: long, status: "confirmed", source: "signup", updatedAt: long, createdAt: long },
    { siteId: site.id, groupId: 2, email: "mixed@example.org", locale: "en", localeSetAt: lately, status: "confirmed", source: "signup", updatedAt: lately, createdAt: lately },
  ]);
});

describe("a signup typed for a group the address is already confirmed in", () => {
  it("does not change which language's newsletter the person receives", async () => {
    expect(await recipients(spec("en"))).toEqual(["mixed@example.org"]);
    expect(await recipients(spec("fr"))).toEqual([]);

    // Someone types the address into the English home page's form, ticking group 1 (already confirmed).
    await signup(site, { email: "mixed@example.org", groupIds: [1], locale: "en", ip: "203.0.113.9", userAgent: "test", consentText: "I agree" });

    // Nothing was confirmed, no language was stated anew: the person still reads English.
    expect(await recipients(spec("en"))).toEqual(["mixed@example.org"]);
    expect(await recipients(spec("fr"))).toEqual([]);
    expect(await countAudience(spec("en"))).toBe(1);
  });
});

/**
 * The same rule broken by an administrator's edit that says nothing about language: a number set
 * on one subscription is copied to all the person's subscriptions with `updated_at = now()`
 * (syncPhones), so they all tied and the one with the highest id decided the language.
 */
describe("a mobile number set for a subscriber", () => {
  it("does not change which language's newsletter the person receives", async () => {
    // Group 1 first (lower id), in English, its language set lately; group 2 later, in French, untouched since.
    const [g1] = await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "phone@example.org", locale: "en", localeSetAt: lately, status: "confirmed", source: "screen", updatedAt: lately, createdAt: long }).returning();
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "phone@example.org", locale: "fr", localeSetAt: long, status: "confirmed", source: "screen", updatedAt: long, createdAt: long });
    expect(await reads("phone@example.org", "en")).toBe(true);

    expect(await setSubscriptionPhone(site.id, 1, g1.id, "+33612345678")).toEqual({ email: "phone@example.org" });
    const [after] = await db.select().from(subscriptions).where(and(eq(subscriptions.id, g1.id)));
    expect(after.phone).toBe("+33612345678");
    expect(await reads("phone@example.org", "en")).toBe(true);
    expect(await reads("phone@example.org", "fr")).toBe(false);
    // The SMS edition decides the same way.
    const sms = (readers: string) => ({ ...spec(readers), channel: "sms" as const, country: "FR" });
    const smsTo = async (readers: string) => (await recipients(sms(readers))).includes("+33612345678");
    expect([await smsTo("en"), await smsTo("fr")]).toEqual([true, false]);
  });
});

describe("a subscription moved to another group", () => {
  it("keeps the person's language", async () => {
    // English stated lately in group 1; French stated long ago in group 2 (a higher id).
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "moved@example.org", locale: "en", localeSetAt: lately, status: "confirmed", source: "screen", updatedAt: lately });
    const [fr] = await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "moved@example.org", locale: "fr", localeSetAt: long, status: "confirmed", source: "screen", updatedAt: long }).returning();
    expect(await reads("moved@example.org", "en", [1, 2, 3])).toBe(true);
    expect(await moveSubscriptions(site.id, 2, 3, [fr.id])).toMatchObject({ moved: 1 });
    // The move bumps updated_at; the language stated last is still English.
    expect(await reads("moved@example.org", "en", [1, 2, 3])).toBe(true);
    expect(await reads("moved@example.org", "fr", [1, 2, 3])).toBe(false);
  });
});

describe("a stated language and an unstated one", () => {
  it("the stated one decides, whichever row is newer", async () => {
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "stated@example.org", locale: "en", localeSetAt: long, status: "confirmed", source: "signup", updatedAt: long });
    // Added later without a language (reads the site's French): says nothing about the person.
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "stated@example.org", locale: null, status: "confirmed", source: "screen", updatedAt: lately });
    expect(await reads("stated@example.org", "en")).toBe(true);
    expect(await reads("stated@example.org", "fr")).toBe(false);
  });
});

describe('"Set language…" for one subscription', () => {
  it("makes that language the person's, over an older one stated in another group", async () => {
    // English in both groups, stated in group 2 (the higher id) more lately than in group 1.
    const [g1] = await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "set@example.org", locale: "en", localeSetAt: long, status: "confirmed", source: "signup", updatedAt: long }).returning();
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "set@example.org", locale: "en", localeSetAt: lately, status: "confirmed", source: "signup", updatedAt: lately });
    expect(await reads("set@example.org", "en")).toBe(true);

    // The person asks for French; the administrator sets it on their group 1 subscription only.
    actAs(admin.id, site.domain);
    const done = expectSuccess(await run(setSubscriptionsLocaleAction, { group: "1", locale: "fr", ids: [String(g1.id)] }));
    expect(done).toMatchObject({ data: { count: 1, locale: "fr" } });
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, g1.id));
    expect(after.locale).toBe("fr");
    expect(after.localeSetAt!.getTime()).toBeGreaterThan(lately.getTime());

    // Newer than group 2's English: French is the person's now, in every send over both groups.
    expect(await reads("set@example.org", "fr")).toBe(true);
    expect(await reads("set@example.org", "en")).toBe(false);
    // The count shown before sending agrees with the send.
    for (const l of ["fr", "en"]) expect(await countAudience(spec(l))).toBe((await recipients(spec(l))).length);
  });
});

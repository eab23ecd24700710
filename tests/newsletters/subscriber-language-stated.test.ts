import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { audienceRows, countAudience, type AudienceSpec } from "@/lib/newsletters/audience";
import { signup } from "@/lib/newsletters/signup";
import { setSubscriptionPhone } from "@/lib/newsletters/subscriptions";
import { and, eq } from "drizzle-orm";
import { makeSite } from "../helpers/factories";

/**
 * A person's language for a one-language template is the one of their most recently updated
 * confirmed subscription among the send's groups (lib/newsletters/audience.ts newestLanguage).
 * The public "Receive our news" form, typed with an address already confirmed in a group,
 * changes nothing about that subscription (signup.ts: "An existing subscription is left as it
 * was") but its `updated_at`, which is enough to switch the person to the other language's
 * edition: anyone who types the address (or the person, on the English page) makes an English
 * reader receive the French newsletter instead of the English one.
 */
let site: Site;
const spec = (readers: string): AudienceSpec => ({ siteId: site.id, groupIds: [1, 2], pasted: "", readers, siteLocale: "fr" });
async function recipients(s: AudienceSpec) {
  const result = await db.execute(sql`select recipient from (${await audienceRows(s, "https://x.example.org")}) as r`);
  return rows<{ recipient: string }>(result).map((r) => r.recipient).sort();
}

beforeAll(async () => {
  site = await makeSite({ domain: "bilingual.example.org", defaultLocale: "fr" });
  for (const [id, fr, en] of [[1, "Nouvelles", "News"], [2, "Offres", "Offers"]] as const) {
    await setOverride(site.id, "fr", `signup_opt${id}`, fr);
    await setOverride(site.id, "en", `signup_opt${id}`, en);
  }
  const long = new Date(Date.now() - 30 * 86_400_000);
  const lately = new Date(Date.now() - 86_400_000);
  // Joined group 1 in French long ago, then group 2 in English: an English reader now.
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "mixed@example.org", locale: "fr", status: "confirmed", source: "signup", updatedAt: long, createdAt: long },
    { siteId: site.id, groupId: 2, email: "mixed@example.org", locale: "en", status: "confirmed", source: "signup", updatedAt: lately, createdAt: lately },
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
 * (syncPhones), so they all tie and the one with the highest id decides the language.
 */
describe("a mobile number set for a subscriber", () => {
  it("does not change which language's newsletter the person receives", async () => {
    const spec2 = (readers: string): AudienceSpec => ({ siteId: site.id, groupIds: [1, 2], pasted: "", readers, siteLocale: "fr" });
    const long = new Date(Date.now() - 30 * 86_400_000);
    const lately = new Date(Date.now() - 86_400_000);
    // Group 1 first (lower id), in English, its language set lately; group 2 later, in French, untouched since.
    const [g1] = await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "phone@example.org", locale: "en", status: "confirmed", source: "screen", updatedAt: lately, createdAt: long }).returning();
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "phone@example.org", locale: "fr", status: "confirmed", source: "screen", updatedAt: long, createdAt: long });
    const reads = async (l: string) => (await recipients(spec2(l))).filter((e) => e === "phone@example.org");
    expect(await reads("en")).toEqual(["phone@example.org"]);

    expect(await setSubscriptionPhone(site.id, 1, g1.id, "+33612345678")).toEqual({ email: "phone@example.org" });
    const [after] = await db.select().from(subscriptions).where(and(eq(subscriptions.id, g1.id)));
    expect(after.phone).toBe("+33612345678");
    expect(await reads("en")).toEqual(["phone@example.org"]);
    expect(await reads("fr")).toEqual([]);
  });
});

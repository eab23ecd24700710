import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { audienceRows, countAudience, type AudienceSpec } from "@/lib/newsletters/audience";
import { signup } from "@/lib/newsletters/signup";
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

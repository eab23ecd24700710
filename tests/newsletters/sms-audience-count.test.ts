import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { smsOptOuts, subscriberKeys, subscriptions, type Site } from "@/db/schema";
import { fillPlaceholders } from "@/lib/mail/compose";
import { audienceRows, countAudience, smsAudienceCost, type AudienceSpec } from "@/lib/newsletters/audience";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { smsSegments } from "@/lib/sms/segments";
import { makeSite } from "../helpers/factories";

// The send dialog counts and prices an SMS send's numbers (countAudience, smsAudienceCost)
// without building its rows, in two parts (the groups' numbers, then the pasted ones they do not
// give). Whatever the mix of rules, the dialog must announce exactly the numbers, names and
// segments the send itself queues (audienceRows): one case per rule of phoneCandidates.

let site: Site;
let other: Site;
type Status = "confirmed" | "unconfirmed" | "unsubscribed";
const sub = (groupId: number, email: string, phone: string | null, o: { status?: Status; name?: string; locale?: string | null; setAt?: string; siteId?: number } = {}) => ({
  siteId: o.siteId ?? site.id,
  groupId,
  email,
  phone,
  name: o.name ?? "",
  locale: o.locale ?? null,
  localeSetAt: o.setAt ? new Date(o.setAt) : null,
  status: o.status ?? ("confirmed" as const),
  source: "screen" as const,
});

/** What the send would queue now: (number, name), sorted. */
async function queued(spec: AudienceSpec): Promise<{ phone: string; name: string }[]> {
  const result = await db.execute(sql`select recipient, recipient_name from (${await audienceRows(spec, "https://x.example.org")}) as r order by recipient`);
  return rows<{ recipient: string; recipient_name: string }>(result).map((r) => ({ phone: r.recipient, name: r.recipient_name }));
}

beforeAll(async () => {
  site = await makeSite({ defaultLocale: "fr" });
  other = await makeSite();
  await db.insert(subscriptions).values([
    sub(1, "ann@example.org", "+33611111101", { name: "Ann", locale: "fr", setAt: "2026-01-01" }),
    // One number in two groups (one person): one SMS.
    sub(1, "bo@example.org", "+33611111102", { name: "Bo", locale: "en", setAt: "2026-01-01" }),
    sub(2, "bo@example.org", "+33611111102", { name: "Bo", locale: "fr", setAt: "2026-03-01" }),
    // One number two people share: one SMS, the greatest of their names.
    sub(1, "cy@example.org", "+33611111103", { name: "Cy", locale: "en", setAt: "2026-02-01" }),
    sub(2, "cyd@example.org", "+33611111103", { name: "Cyd-Longer-Name-Here", locale: "fr", setAt: "2026-01-01" }),
    // No number: never in an SMS audience.
    sub(1, "nonum@example.org", null, { name: "No" }),
    // Unconfirmed or unsubscribed in the groups: not from them.
    sub(1, "waits@example.org", "+33611111104", { status: "unconfirmed" }),
    sub(1, "left@example.org", "+33611111105", { status: "unsubscribed" }),
    // Left group 3 but confirmed in group 1 with the same number: group 1 still gives it.
    sub(1, "stays@example.org", "+33611111106", { name: "Stays" }),
    sub(3, "stays@example.org", "+33611111106", { status: "unsubscribed" }),
    // Answered STOP: out, whatever its subscriptions say.
    sub(1, "stop@example.org", "+33611111107", { name: "Stop" }),
    // "Unsubscribe from everything": the address is suppressed, its number too.
    sub(1, "gone@example.org", "+33611111108", { name: "Gone" }),
    // Only in a group the sends below are not all for.
    sub(3, "elsewhere@example.org", "+33611111109", { name: "Elsewhere", locale: "en" }),
    // Erased below: nothing of it is left to come from a group.
    sub(1, "erased@example.org", "+33611111110", { name: "Erased" }),
    // Unknown language: the site's (fr).
    sub(2, "unknown@example.org", "+33611111111", { name: "Ünknown" }),
    // Another site's members, opt-outs and suppressions change nothing here.
    sub(1, "foreign@example.org", "+33611111112", { siteId: 0 }),
  ].map((r) => (r.siteId === 0 ? { ...r, siteId: other.id } : r)));
  await db.insert(smsOptOuts).values([
    { siteId: site.id, phone: "+33611111107", keyword: "STOP" },
    { siteId: site.id, phone: "+33611111120", keyword: "STOP" },
    { siteId: other.id, phone: "+33611111101", keyword: "STOP" },
  ]);
  await db.insert(subscriberKeys).values([
    { siteId: site.id, email: "gone@example.org", token: "t-gone", suppressedAt: new Date() },
    { siteId: other.id, email: "ann@example.org", token: "t-other-ann", suppressedAt: new Date() },
    // A key without suppression changes nothing.
    { siteId: site.id, email: "ann@example.org", token: "t-ann" },
  ]);
  await eraseSubscriber(site.id, "erased@example.org", "test");
});

// Pasted numbers (national, read in France): new, one the groups give, one only another group
// gives, a STOP one, an unsubscribed one's, a suppressed one's, an unconfirmed one's, an
// erased one's (kept out: lib/newsletters/erase.ts), a duplicate, a bad one, one of another site.
const PASTED = "06 11 11 11 99\n0611111101\n06 11 11 11 09\n0611111120\n0611111105\n0611111108\n0611111104\n0611111110\n+33611111199\nnot-a-number\n0611111112";

describe("the SMS send dialog's count and cost give what the send queues", () => {
  const cases: [string, Omit<AudienceSpec, "siteId" | "channel" | "country" | "siteLocale">, number][] = [
    ["one group", { groupIds: [1], pasted: "" }, 4],
    ["two groups: a number in both, and one two people share, once", { groupIds: [1, 2], pasted: "" }, 5],
    ["the same group twice", { groupIds: [2, 2], pasted: "" }, 3],
    ["no group, nothing pasted", { groupIds: [], pasted: "" }, 0],
    ["pasted only", { groupIds: [], pasted: PASTED }, 5],
    ["groups and pasted", { groupIds: [1, 2], pasted: PASTED }, 9],
    ["English readers: the groups' English numbers, and every allowed pasted one", { groupIds: [1, 2, 3], pasted: PASTED, readers: "en" }, 6],
    ["French readers (and the unknown language, the site's)", { groupIds: [1, 2], pasted: "", readers: "fr" }, 4],
    ["French readers of group 1 alone: one person's language is decided by the send's groups", { groupIds: [1], pasted: "", readers: "fr" }, 2],
    ["German readers: pasted numbers only", { groupIds: [1, 2, 3], pasted: PASTED, readers: "de" }, 5],
  ];
  for (const [name, given, expected] of cases) {
    it(name, async () => {
      const spec: AudienceSpec = { siteId: site.id, channel: "sms", country: "FR", siteLocale: "fr", ...given };
      const sent = await queued(spec);
      expect(sent).toHaveLength(expected);
      expect(await countAudience(spec)).toBe(expected);
      // The cost, with and without a per-person placeholder, is every queued text's own.
      const text = "Bonjour {{name|toi}}, voici les nouvelles de la semaine prochaine : {{phone}}";
      const each = sent.reduce((n, r) => n + smsSegments(fillPlaceholders(text, { phone: r.phone, name: r.name })).segments, 0);
      expect(await smsAudienceCost(spec, text)).toEqual({ count: expected, segments: each });
      expect(await smsAudienceCost(spec, "Plain news")).toEqual({ count: expected, segments: expected });
    });
  }

  it("the numbers are the expected ones (the counts above are not a coincidence)", async () => {
    const phones = async (g: Omit<AudienceSpec, "siteId">) => (await queued({ siteId: site.id, channel: "sms", country: "FR", siteLocale: "fr", ...g })).map((r) => r.phone);
    expect(await phones({ groupIds: [1, 2], pasted: "" })).toEqual(["+33611111101", "+33611111102", "+33611111103", "+33611111106", "+33611111111"]);
    expect(await phones({ groupIds: [], pasted: PASTED })).toEqual(["+33611111101", "+33611111104", "+33611111109", "+33611111112", "+33611111199"]);
    expect(await phones({ groupIds: [1, 2, 3], pasted: "", readers: "en" })).toEqual(["+33611111103", "+33611111109"]);
  });
});

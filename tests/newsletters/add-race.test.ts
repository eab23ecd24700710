import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { db, rows } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { createGroup } from "@/lib/newsletters/groups";
import { addSubscribers } from "@/lib/newsletters/subscriptions/add";
import { makeSite } from "../helpers/factories";
import { until } from "../helpers/wait";
import { testDatabaseUrl } from "../queue/spawn";

// addSubscribers looks the addresses up, then inserts the new ones. An address inserted by
// someone else in between (a signup, another administrator) lost the insert and was reported
// "already" there, while what the administrator typed with it (a name, a mobile number) and the
// confirmation were dropped without a word. Two transactions at once need the real server
// (PGlite is one connection): registered only when DATABASE_URL is set.

let site: Site;
let group: number;

beforeAll(async () => {
  site = await makeSite({ domain: "add-race.example.org", defaultCountry: "FR" });
  group = await createGroup(site, { fr: "Lettre", en: "Letter" });
});

const rowOf = async (email: string) =>
  (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, group), eq(subscriptions.email, email))))[0];

if (process.env.DATABASE_URL) {
  describe("an address inserted by someone else while it is added (PostgreSQL, concurrent transactions)", () => {
    /** Runs `add` while another connection holds an uncommitted signup of `email`, committed once the add waits at its insert. */
    async function race(email: string, add: () => Promise<Awaited<ReturnType<typeof addSubscribers>>>) {
      const other = postgres(await testDatabaseUrl(), { max: 1, onnotice: () => {} });
      const waiting = async () => Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0].n);
      try {
        const signup = await other.reserve();
        await signup`begin`;
        await signup`insert into subscriptions (site_id, group_id, email, status, source, locale) values (${site.id}, ${group}, ${email}, 'unconfirmed', 'signup', 'fr')`;
        const added = add();
        await until("the add waiting at its insert", async () => (await waiting()) >= 1);
        await signup`commit`;
        signup.release();
        return await added;
      } finally {
        await other.end();
      }
    }

    it("fills in the name and the number typed, confirms it, and says so", async () => {
      const email = "racer@example.org";
      const { outcomes, phones } = await race(email, () =>
        addSubscribers(site.id, group, [{ email, name: "Rae Cer", phone: "+33612349701" }], { status: "confirmed", source: "screen", consentText: "added by admin@example.org", locale: "en" }),
      );
      const row = await rowOf(email);
      expect({ name: row.name, phone: row.phone, status: row.status, consentText: row.consentText }).toEqual({
        name: "Rae Cer",
        phone: "+33612349701",
        status: "confirmed",
        consentText: "added by admin@example.org",
      });
      // The person's own language, chosen when signing up, is kept (as for any address already there).
      expect(row.locale).toBe("fr");
      expect(outcomes.get(email)).toBe("confirmed");
      expect(phones.get(email)).toBeNull();
    });
  });
}

describe("an address that signed up before it is added", () => {
  // The same end as the race above, without one: what the race must come to.
  it("is confirmed, with the name and the number typed", async () => {
    const email = "early@example.org";
    await db.insert(subscriptions).values({ siteId: site.id, groupId: group, email, status: "unconfirmed", source: "signup", locale: "fr" });
    const { outcomes, phones } = await addSubscribers(site.id, group, [{ email, name: "Earl Y", phone: "+33612349702" }], { status: "confirmed", source: "screen", consentText: "added by admin@example.org", locale: "en" });
    expect(await rowOf(email)).toMatchObject({ name: "Earl Y", phone: "+33612349702", status: "confirmed", locale: "fr" });
    expect(outcomes.get(email)).toBe("confirmed");
    expect(phones.get(email)).toBeNull();
  });
});

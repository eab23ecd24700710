import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import { db, rows } from "@/db/client";
import { subscriptions, translationOverrides, type Site, type User } from "@/db/schema";
import { saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { moveSubscriptionsAction } from "@/app/[locale]/manage/subscriptions/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { siteTexts } from "@/lib/i18n/resolve";
import { signup } from "@/lib/newsletters/signup";
import { addSubscribers } from "@/lib/newsletters/subscriptions/add";
import { moveSubscriptions } from "@/lib/newsletters/subscriptions/move";
import { pasteAddresses } from "@/lib/newsletters/subscriptions/paste";
import { runImport } from "@/lib/newsletters/import/run";
import { ActionError } from "@/lib/actions/errors";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";
import { until } from "../helpers/wait";
import { testDatabaseUrl } from "../queue/spawn";

// Emptying a group's labels deletes it, refused while people are in it. A signup or import that
// found the group just before must not write its subscriptions after the deletion counted none:
// they would sit in a group no screen shows. Invariant checked after each race: a group without
// labels has no one in it (confirmed or waiting to confirm).

let site: Site;
let admin: User;
let next = 10;

beforeAll(async () => {
  site = await makeSite({ domain: "group-race.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
});

async function labelled() {
  const id = next++;
  await setOverride(site.id, "en", `signup_opt${id}`, `Group ${id}`);
  await setOverride(site.id, "fr", `signup_opt${id}`, `Groupe ${id}`);
  return id;
}
const labels = async (id: number) =>
  (await db.select().from(translationOverrides).where(and(eq(translationOverrides.siteId, site.id), eq(translationOverrides.key, `signup_opt${id}`)))).length;
const live = async (id: number) =>
  (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, id), inArray(subscriptions.status, ["confirmed", "unconfirmed"])))).length;
const emptyLabels = (id: number) => run(saveTranslationAction as AnyAction, { key: `signup_opt${id}`, fr: "", en: "" });
const signupInput = (email: string, groupIds: number[]) => ({ email, groupIds, locale: "en" as const, ip: "192.0.2.7", userAgent: "test", consentText: "Yes" });

describe("a group deleted while someone is put in it", () => {
  it("a signup that read the groups before the deletion puts no one in the deleted group", async () => {
    actAs(admin.id, site.domain);
    const id = await labelled();
    const before = await siteTexts(site); // what the signup read: the group is there
    expectSuccess(await emptyLabels(id));
    await signup(site, signupInput("late@example.org", [id]), before);
    expect(await labels(id)).toBe(0);
    expect(await live(id)).toBe(0);
  });
});

describe("a move into a group deleted after the screen found it", () => {
  it("is refused on the form's target field, which is where the person chose the group", async () => {
    const from = await labelled();
    const gone = await labelled();
    const [moving] = await db.insert(subscriptions).values({ siteId: site.id, groupId: from, email: "late-mover@example.org", status: "confirmed", source: "screen" }).returning();
    await db.delete(translationOverrides).where(and(eq(translationOverrides.siteId, site.id), eq(translationOverrides.key, `signup_opt${gone}`)));
    // The screen showed the group just before: the move's check inside its transaction refuses.
    const refused = await moveSubscriptions(site.id, from, gone, [moving.id]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ActionError);
    expect(refused).toMatchObject({ msg: { key: "errors.groupNotFound" }, field: "to" });
    expect(await live(from)).toBe(1);
  });
});

describe("whatever calls them, the writers check the group themselves", () => {
  it("adding, pasting and importing into a group that no longer exists are refused and write nothing", async () => {
    const gone = await labelled();
    await db.delete(translationOverrides).where(and(eq(translationOverrides.siteId, site.id), eq(translationOverrides.key, `signup_opt${gone}`)));
    const options = { status: "confirmed" as const, consentText: "test", locale: "en" as const };
    const attempts = [
      () => addSubscribers(site.id, gone, [{ email: "added@example.org", name: "" }], { ...options, source: "screen" }),
      () => pasteAddresses(site.id, gone, "pasted@example.org", "test", "FR", "en"),
      () => runImport(site.id, gone, "email\nimported-late@example.org\n", { ...options, delimiter: "auto", country: "FR" }),
    ];
    for (const attempt of attempts) {
      const refused = await attempt().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ActionError);
      expect(refused).toMatchObject({ msg: { key: "errors.groupNotFound" } });
    }
    expect(await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.groupId, gone)))).toEqual([]);
  });
});

// Two transactions at once need the real server (PGlite is one connection): registered only
// when DATABASE_URL is set, as tests/queue/concurrency.test.ts.
if (process.env.DATABASE_URL) {
  describe("a group deleted while someone is put in it (PostgreSQL, concurrent transactions)", () => {
    /**
     * Runs `write` (a signup or import into group `id` of `email`) so that it has found the group
     * and is about to write when the deletion runs: another connection holds an uncommitted row
     * for the same address, so the write waits at its insert. Once the deletion has either
     * finished or is waiting too, that row is rolled back and both finish.
     */
    async function race(id: number, email: string, write: () => Promise<unknown>) {
      const other = postgres(await testDatabaseUrl(), { max: 1, onnotice: () => {} });
      const waiting = async () => Number(rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0].n);
      try {
        const blocker = await other.reserve();
        await blocker`begin`;
        await blocker`insert into subscriptions (site_id, group_id, email, status, source) values (${site.id}, ${id}, ${email}, 'unconfirmed', 'screen')`;
        const written = write();
        await until("the write waiting at its insert", async () => (await waiting()) >= 1);
        let deleted: Awaited<ReturnType<typeof emptyLabels>> | null = null;
        const deletion = emptyLabels(id).then((r) => (deleted = r));
        await until("the deletion finished or waiting", async () => deleted !== null || (await waiting()) >= 2);
        await blocker`rollback`;
        blocker.release();
        const [result] = await Promise.allSettled([written, deletion]);
        return { write: result, deletion: await deletion };
      } finally {
        await other.end();
      }
    }

    it("signup: the deletion waits for it, then is refused; the subscription stays in a group that still exists", async () => {
      actAs(admin.id, site.domain);
      const id = await labelled();
      const { deletion } = await race(id, "racer@example.org", () => signup(site, signupInput("racer@example.org", [id])));
      expect({ labels: await labels(id) > 0, live: await live(id) }).not.toEqual({ labels: false, live: 1 });
      expectFailure(deletion, "errors.groupHasSubscribers");
      expect(await labels(id)).toBe(2);
      expect(await live(id)).toBe(1);
    });

    it("import: the deletion waits for it, then is refused", async () => {
      actAs(admin.id, site.domain);
      const id = await labelled();
      const csv = "email,name\nimported@example.org,Imp\n";
      const { write, deletion } = await race(id, "imported@example.org", () => run(runImportAction as AnyAction, { group: String(id), csv, status: "confirmed", locale: "en" }));
      expect(write.status).toBe("fulfilled");
      expect({ labels: await labels(id) > 0, live: await live(id) }).not.toEqual({ labels: false, live: 1 });
      expectFailure(deletion, "errors.groupHasSubscribers");
      expect(await live(id)).toBe(1);
    });

    it("move: the deletion of the target waits for it, then is refused", async () => {
      actAs(admin.id, site.domain);
      const from = await labelled();
      const id = await labelled();
      const [moving] = await db.insert(subscriptions).values({ siteId: site.id, groupId: from, email: "mover@example.org", status: "confirmed", source: "screen" }).returning();
      // The blocker holds the address's row in the target: the move's merge waits on it.
      const { deletion } = await race(id, "mover@example.org", () => run(moveSubscriptionsAction as AnyAction, { group: String(from), to: String(id), ids: [String(moving.id)] }));
      expect({ labels: await labels(id) > 0, live: await live(id) }).not.toEqual({ labels: false, live: 1 });
      expectFailure(deletion, "errors.groupHasSubscribers");
    });
  });
}

import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { addSubscriberAction, eraseSubscriberAction, pasteSubscribersAction, setPhoneAction } from "@/app/[locale]/manage/subscriptions/actions";
import { previewImportAction, runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { audienceRows, countAudience, type AudienceSpec } from "@/lib/newsletters/audience";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

/** The data of a successful action. */
const data = <T>(outcome: Awaited<ReturnType<typeof run>>) => (expectSuccess(outcome) as { data: T }).data;

// Someone erased on request must not be texted again through any list: erasure keeps a keyed
// hash of each of their numbers (never the number), and an add, paste, import, "set number" or
// pasted SMS list that gives that number to another address is refused. A number another
// subscriber shared with them stays that subscriber's.

let site: Site;
let other: Site;
let admin: User;
const ERASED = "+33612340001"; // Ann's, and only hers
const SHARED = "+33612340002"; // Ann's and Bob's
const national = (e164: string) => `0${e164.slice(3)}`;

const numbersOf = async (siteId: number, phone: string) =>
  (await db.select({ email: subscriptions.email }).from(subscriptions).where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.phone, phone)))).map((r) => r.email).sort();

beforeAll(async () => {
  site = await makeSite({ domain: "erased-phone.example.org", defaultCountry: "FR" });
  other = await makeSite({ domain: "erased-phone-other.example.org", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
  for (const s of [site, other]) for (const l of ["fr", "en"] as const) await setOverride(s.id, l, "signup_opt1", "News");
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "ann@example.org", phone: ERASED, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "ann2@example.org", phone: SHARED, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "bob@example.org", phone: SHARED, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "carl@example.org", status: "confirmed", source: "screen" },
  ]);
  actAs(admin.id, site.domain);
  expectSuccess(await run(eraseSubscriberAction, { email: "ann@example.org" }));
  expectSuccess(await run(eraseSubscriberAction, { email: "ann2@example.org" }));
});

describe("an erased person's number", () => {
  it("is kept only as a keyed hash", async () => {
    const kept = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from erased_subscribers where site_id = ${site.id} and (email_hash like ${"%" + ERASED.slice(1) + "%"} or email_hash like ${"%" + SHARED.slice(1) + "%"})`));
    expect(kept[0].n).toBe(0);
    expect(await numbersOf(site.id, ERASED)).toEqual([]);
  });

  it("cannot be added with another address", async () => {
    actAs(admin.id, site.domain);
    expectFailure(await run(addSubscriberAction, { group: "1", email: "new@example.org", name: "", phone: national(ERASED) }), "errors.erasedPhone");
    expect(await numbersOf(site.id, ERASED)).toEqual([]);
    expect(await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, "new@example.org")))).toEqual([]);
  });

  it("cannot be given to someone already subscribed, by the form or by 'set number'", async () => {
    actAs(admin.id, site.domain);
    expectFailure(await run(addSubscriberAction, { group: "1", email: "carl@example.org", name: "", phone: national(ERASED) }), "errors.erasedPhone");
    const [carl] = await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, "carl@example.org")));
    expectFailure(await run(setPhoneAction, { group: "1", id: String(carl.id), phone: national(ERASED) }), "errors.erasedPhone");
    expect(await numbersOf(site.id, ERASED)).toEqual([]);
  });

  it("is refused in a pasted list, the report saying it was for the number (not an unsubscription or erasure of the address)", async () => {
    actAs(admin.id, site.domain);
    const report = data<{ refused: string[]; refusedNumbers: string[]; added: number }>(
      await run(pasteSubscribersAction, { group: "1", addresses: `paste@example.org ${national(ERASED)}\nfine@example.org 0612340099` }),
    );
    // "refused" is told as "unsubscribed or was erased earlier… only the person can subscribe
    // again": not so for this address, which may be pasted again without that number.
    expect(report.refused).toEqual([]);
    expect(report.refusedNumbers).toEqual(["paste@example.org"]);
    expect(report.added).toBe(1);
    expect(await numbersOf(site.id, ERASED)).toEqual([]);
  });

  it("is refused by an import, in its preview and its report", async () => {
    actAs(admin.id, site.domain);
    const csv = `email,name,mobile\nimp@example.org,Imp,${national(ERASED)}\nok@example.org,Ok,0612340098\n`;
    const preview = data<{ counts: Record<string, number>; rows: { email: string; outcome: string; refused: boolean }[] }>(await run(previewImportAction, { group: "1", csv, status: "confirmed", locale: "en" }));
    expect(preview.counts.erasedPhone).toBe(1);
    expect(preview.rows.find((r) => r.email === "imp@example.org")).toMatchObject({ outcome: "erasedPhone", refused: true });
    const report = data<{ refused: { email: string; reason: string }[]; added: number }>(await run(runImportAction, { group: "1", csv, status: "confirmed", locale: "en" }));
    expect(report.refused.map((r) => [r.email, r.reason])).toEqual([["imp@example.org", "erasedPhone"]]);
    expect(report.added).toBe(1);
    expect(await numbersOf(site.id, ERASED)).toEqual([]);
  });

  it("is not texted when pasted into an SMS send", async () => {
    const spec: AudienceSpec = { siteId: site.id, groupIds: [], pasted: `${national(ERASED)}\n0612340097`, channel: "sms", country: "FR" };
    const queued = rows<{ recipient: string }>(await db.execute(sql`select recipient from (${await audienceRows(spec, "")}) as r`)).map((r) => r.recipient);
    expect(queued).toEqual(["+33612340097"]);
    expect(await countAudience(spec)).toBe(1);
  });

  it("stays with a subscriber who shared it, but is given to no one new", async () => {
    actAs(admin.id, site.domain);
    expect(await numbersOf(site.id, SHARED)).toEqual(["bob@example.org"]);
    const spec: AudienceSpec = { siteId: site.id, groupIds: [1], pasted: "", channel: "sms", country: "FR" };
    const queued = rows<{ recipient: string }>(await db.execute(sql`select recipient from (${await audienceRows(spec, "")}) as r`)).map((r) => r.recipient);
    expect(queued).toContain(SHARED);
    // Bob's own number given again for him is no change: not refused, said already his.
    expectFailure(await run(addSubscriberAction, { group: "1", email: "bob@example.org", name: "", phone: national(SHARED) }), "errors.alreadySubscribedSamePhone");
    expectFailure(await run(addSubscriberAction, { group: "1", email: "dan@example.org", name: "", phone: national(SHARED) }), "errors.erasedPhone");
    expect(await numbersOf(site.id, SHARED)).toEqual(["bob@example.org"]);
  });

  it("is still free on another site", async () => {
    actAs((await makeUser(other.id, "admin")).id, other.domain);
    expectSuccess(await run(addSubscriberAction, { group: "1", email: "elsewhere@example.org", name: "", phone: national(ERASED) }));
    expect(await numbersOf(other.id, ERASED)).toEqual(["elsewhere@example.org"]);
  });
});

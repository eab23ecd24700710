import { beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { smsOptOuts, subscriptions, type Site, type User } from "@/db/schema";
import { addOptOutAction, removeOptOutAction } from "@/app/[locale]/manage/subscriptions/sms-opt-outs/actions";
import { GET as exportCsv } from "@/app/api/subscriptions/sms-opt-outs/export/route";
import { countAudience } from "@/lib/newsletters/audience";
import { countOptOuts, listOptOuts, numberPrefix, optOutsWhere, parseOptOutFilters } from "@/lib/sms/opt-out-list";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

let siteA: Site, siteB: Site;
let adminA: User, memberA: User, adminB: User;

const stored = async (siteId: number) =>
  db.select({ phone: smsOptOuts.phone, keyword: smsOptOuts.keyword, source: smsOptOuts.source }).from(smsOptOuts).where(eq(smsOptOuts.siteId, siteId)).orderBy(asc(smsOptOuts.phone));

beforeAll(async () => {
  siteA = await makeSite({ domain: "a.example.org", defaultCountry: "FR" });
  siteB = await makeSite({ domain: "b.example.org", defaultCountry: "BE" });
  [adminA, memberA, adminB] = await Promise.all([makeUser(siteA.id, "admin"), makeUser(siteA.id, "member"), makeUser(siteB.id, "admin")]);
});

describe("the number filter", () => {
  it("reads the start of a number as people type it, in the site's country", () => {
    expect(numberPrefix("+33 6", "FR")).toBe("+336");
    expect(numberPrefix("0033 6", "FR")).toBe("+336");
    expect(numberPrefix("06 12", "FR")).toBe("+33612");
    expect(numberPrefix("0470", "BE")).toBe("+32470");
    expect(numberPrefix("347 12", "IT")).toBe("+3934712"); // no trunk 0 in Italy
    expect(numberPrefix("07700 900", "GB")).toBe("+447700900");
    expect(numberPrefix("+1 415", "FR")).toBe("+1415");
    expect(numberPrefix("336", "XX")).toBe("+336"); // no country to read it in: international
    expect(numberPrefix("+33 6 12 34 56 78", "FR")).toBe("+33612345678"); // as the list shows it
    for (const bad of ["abc", "06 12 ab", "00", "+", "1".repeat(17), "'; drop table x"]) expect(numberPrefix(bad, "FR")).toBeNull();
  });

  it("keeps what it understood and names what it did not", () => {
    expect(parseOptOutFilters({ q: "06", source: "admin", after: "2026-11-27T01:02:03.123456Z_+33612345678" }, "FR")).toEqual({
      filters: { q: "+336", source: "admin", after: "2026-11-27T01:02:03.123456Z_+33612345678" },
      invalid: [],
    });
    expect(parseOptOutFilters(new URLSearchParams("q=zz&source=robot&after=yesterday"), "FR")).toEqual({ filters: {}, invalid: ["q", "source", "after"] });
    // Cursors of the right shape naming no real instant or number: ignored, never sent to PostgreSQL.
    for (const after of ["2026-13-45T10:00:00.000000Z_+33612345678", "0000-01-01T00:00:00.000000Z_+33612345678", "2026-02-30T00:00:00.000000Z_+33612345678", "2026-11-27T01:02:03.123456Z_0612345678"]) {
      expect(parseOptOutFilters({ after }, "FR"), after).toEqual({ filters: {}, invalid: ["after"] });
    }
  });
});

describe("the list", () => {
  // Site A: 7 numbers, three of them received at the very same instant (keyset ties).
  const same = new Date("2026-11-20T10:00:00.123Z");
  const seed = [
    { phone: "+33612345001", keyword: "STOP", source: "reply" as const, receivedAt: new Date("2026-11-21T09:00:00Z") },
    { phone: "+33612345002", keyword: "ARRET", source: "reply" as const, receivedAt: same },
    { phone: "+33612345003", keyword: "STOP", source: "provider" as const, receivedAt: same },
    { phone: "+33699999999", keyword: "", source: "admin" as const, receivedAt: same },
    { phone: "+33700000001", keyword: "STOP", source: "reply" as const, receivedAt: new Date("2026-11-19T09:00:00Z") },
    { phone: "+3247012345", keyword: "STOP", source: "reply" as const, receivedAt: new Date("2026-11-18T09:00:00Z") },
    { phone: "+447700900123", keyword: "UNSUBSCRIBE", source: "reply" as const, receivedAt: new Date("2026-11-17T09:00:00Z") },
  ];
  beforeAll(async () => {
    await db.insert(smsOptOuts).values(seed.map((s) => ({ ...s, siteId: siteA.id })));
    await db.insert(smsOptOuts).values({ siteId: siteB.id, phone: "+33612345001", keyword: "STOP" });
  });

  /** Every page of a filtered list, `size` rows at a time. */
  async function walk(filters: Parameters<typeof optOutsWhere>[1], size: number) {
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await listOptOuts(optOutsWhere(siteA.id, filters), { after, limit: size });
      seen.push(...page.rows.map((r) => r.phone));
      if (!page.next) return seen;
      after = page.next;
    }
    throw new Error("the pages never end");
  }

  it("pages newest first, each number once, ties on the same instant included", async () => {
    const newestFirst = ["+33612345001", "+33699999999", "+33612345003", "+33612345002", "+33700000001", "+3247012345", "+447700900123"];
    expect(await walk({}, 50)).toEqual(newestFirst);
    expect(await walk({}, 2)).toEqual(newestFirst);
    expect(await walk({}, 1)).toEqual(newestFirst);
  });

  it("pages through rows a microsecond apart without skipping or repeating one", async () => {
    const site = await makeSite({ domain: "micro.example.org" });
    await db.execute(sql`insert into sms_opt_outs (site_id, phone, keyword, received_at) values
      (${site.id}, '+33612340001', 'STOP', '2026-11-16T09:00:00.123456Z'),
      (${site.id}, '+33612340002', 'STOP', '2026-11-16T09:00:00.123457Z'),
      (${site.id}, '+33612340003', 'STOP', '2026-11-16T09:00:00.123455Z')`);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listOptOuts(optOutsWhere(site.id), { after, limit: 1 });
      seen.push(...page.rows.map((r) => r.phone));
      after = page.next ?? undefined;
    } while (after && seen.length < 10);
    expect(seen).toEqual(["+33612340002", "+33612340001", "+33612340003"]);
    await expect(listOptOuts(optOutsWhere(site.id), { after: "2026-13-45T10:00:00.000000Z_+33612345678" })).rejects.toThrow(/cursor/);
  });

  it("filters by the start of the number (a 9 at the end carries) and by origin, on this site only", async () => {
    expect(await walk({ q: "+3361234500" }, 2)).toEqual(["+33612345001", "+33612345003", "+33612345002"]);
    expect(await walk({ q: "+33699" }, 50)).toEqual(["+33699999999"]); // the range ends at +337, which is excluded
    expect(await walk({ q: "+33" }, 50)).toHaveLength(5);
    expect(await walk({ q: "+44" }, 50)).toEqual(["+447700900123"]);
    expect(await walk({ q: "+9" }, 50)).toEqual([]);
    expect(await walk({ source: "admin" }, 50)).toEqual(["+33699999999"]);
    expect(await walk({ q: "+336", source: "reply" }, 50)).toEqual(["+33612345001", "+33612345002"]);
    expect((await listOptOuts(optOutsWhere(siteB.id))).rows.map((r) => r.phone)).toEqual(["+33612345001"]);
  });

  it("counts up to a cap", async () => {
    expect(await countOptOuts(optOutsWhere(siteA.id))).toEqual({ count: 7, capped: false });
    expect(await countOptOuts(optOutsWhere(siteA.id), 5)).toEqual({ count: 5, capped: true });
    expect(await countOptOuts(optOutsWhere(siteA.id, { source: "provider" }))).toEqual({ count: 1, capped: false });
  });

  it("exports the site's list, or the filtered part, as CSV; only for admins", async () => {
    const get = (path: string) => exportCsv(new NextRequest(`http://localhost${path}`));
    actAs(adminA.id, siteA.domain);
    const all = await get("/api/subscriptions/sms-opt-outs/export");
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    // ignoreBOM keeps the BOM (Response.text() drops it) so the test sees what a spreadsheet gets.
    const lines = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await all.arrayBuffer()).split("\r\n");
    expect(lines[0]).toBe("\uFEFFphone,keyword,source,received_at");
    // A leading "+" would make a spreadsheet read a formula: the cell is quoted with an apostrophe.
    expect(lines[1]).toBe("'+33612345001,STOP,reply,2026-11-21T09:00:00.000Z");
    expect(lines.filter(Boolean)).toHaveLength(1 + 7);
    const filtered = (await (await get("/api/subscriptions/sms-opt-outs/export?q=06%2012%2034%2050&source=provider")).text()).split("\r\n").filter(Boolean);
    expect(filtered.slice(1)).toEqual(["'+33612345003,STOP,provider,2026-11-20T10:00:00.123Z"]);

    actAs(memberA.id, siteA.domain);
    expect((await get("/api/subscriptions/sms-opt-outs/export")).status).toBe(403);
    actAs(null, siteA.domain);
    expect((await get("/api/subscriptions/sms-opt-outs/export")).status).toBe(401);
    actAs(adminB.id, siteB.domain); // another site's admin gets their own list
    expect((await (await get("/api/subscriptions/sms-opt-outs/export")).text()).split("\r\n").filter(Boolean)).toHaveLength(2);
  });
});

describe("adding and taking back by hand", () => {
  it("an admin adds a number typed nationally; it leaves the site's SMS sends to groups", async () => {
    const site = await makeSite({ domain: "c.example.org", defaultCountry: "FR" });
    const admin = await makeUser(site.id, "admin");
    await db.insert(subscriptions).values(
      ["+33612000001", "+33612000002"].map((phone, i) => ({ siteId: site.id, groupId: 1, email: `p${i}@example.org`, phone, status: "confirmed" as const, source: "screen" as const })),
    );
    const audience = () => countAudience({ siteId: site.id, groupIds: [1], pasted: "", channel: "sms" });
    expect(await audience()).toBe(2);

    actAs(admin.id, site.domain);
    const added = expectSuccess(await run(addOptOutAction, { phone: " 06 12 00 00 01 " }));
    expect(added).toMatchObject({ data: { phone: "+33 6 12 00 00 01" } });
    expect(await stored(site.id)).toEqual([{ phone: "+33612000001", keyword: "", source: "admin" }]);
    expect(await audience()).toBe(1);

    // Again: said so, on the field, with what was typed kept.
    const again = expectFailure(await run(addOptOutAction, { phone: "+33 6 12 00 00 01" }), "errors.alreadyOptedOut");
    expect(again.fieldErrors?.phone).toEqual({ key: "errors.alreadyOptedOut", values: { number: "+33 6 12 00 00 01" } });
    expect(again.values).toEqual({ phone: "+33 6 12 00 00 01" });

    // Not a number, or empty: refused, typed text kept, nothing written.
    const bad = expectFailure(await run(addOptOutAction, { phone: "06 12 ab" }), "errors.invalidPhone");
    expect(bad.values).toEqual({ phone: "06 12 ab" });
    // A landline is refused as every other SMS number field refuses it, with the same words.
    const landline = expectFailure(await run(addOptOutAction, { phone: "01 23 45 67 89" }), "errors.invalidPhone");
    expect(landline.fieldErrors?.phone).toEqual({ key: "errors.invalidPhone", values: { number: "01 23 45 67 89", read: "national", country: "France", other: "+32" } });
    expect(landline.values).toEqual({ phone: "01 23 45 67 89" });
    expect(expectFailure(await run(addOptOutAction, { phone: "" }), "errors.checkFields").fieldErrors?.phone).toEqual({ key: "errors.required" });
    expect(await stored(site.id)).toHaveLength(1);

    // Taken back: the number is in the SMS sends again.
    expect(expectSuccess(await run(removeOptOutAction, { phone: "+33612000001" }))).toMatchObject({ data: { phone: "+33 6 12 00 00 01" } });
    expect(await stored(site.id)).toEqual([]);
    expect(await audience()).toBe(2);
    expectFailure(await run(removeOptOutAction, { phone: "+33612000001" }), "errors.notFound");
    // Not E.164: a malformed request, refused without a query.
    expectFailure(await run(removeOptOutAction, { phone: "0612000001" }), "errors.checkFields");
  });

  it("an admin cannot take back another site's opt-out", async () => {
    actAs(adminB.id, siteB.domain);
    expectFailure(await run(removeOptOutAction, { phone: "+33612345002" }), "errors.notFound"); // site A's number
    expect((await stored(siteA.id)).map((r) => r.phone)).toContain("+33612345002");
  });
});

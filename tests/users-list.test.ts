import { beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import type { Site, User } from "@/db/schema";
import { GET as exportCsv } from "@/app/api/users/export/route";
import { canOpenUser, listUsers, parseUserFilters, userFiltersApplied, userQuery, type UserRow } from "@/lib/users/list";
import { scopeUrlSite } from "@/lib/sites/scope";
import { actAs } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";

let siteA: Site, siteB: Site;
let adminA: User, superA: User, memberA: User, disabledA: User, disabledAdminB: User;

beforeAll(async () => {
  siteA = await makeSite({ domain: "users-a.example.org" });
  siteB = await makeSite({ domain: "users-b.example.org" });
  adminA = await makeUser(siteA.id, "admin", { email: "admin@users-a.example.org", name: "Ada Admin" });
  superA = await makeUser(siteA.id, "superuser", { email: "super@users-a.example.org", name: "Sam Super" });
  memberA = await makeUser(siteA.id, "member", { email: "member@users-a.example.org", name: "Mia Member", locale: "en" });
  disabledA = await makeUser(siteA.id, "member", { email: "gone@users-a.example.org", name: "Gus, \"Gone\"", disabledAt: new Date() });
  for (let i = 0; i < 5; i++) await makeUser(siteA.id, "member", { email: `m${i}@users-a.example.org` });
  disabledAdminB = await makeUser(siteB.id, "admin", { email: "admin@users-b.example.org", disabledAt: new Date() });
  await makeUser(siteB.id, "member", { email: "member@users-b.example.org" });
});

/** Every page, `limit` at a time. */
async function walk(options: Parameters<typeof listUsers>[0], limit = 2): Promise<UserRow[]> {
  const seen: UserRow[] = [];
  let after: number | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await listUsers({ ...options, after, limit });
    seen.push(...page.users);
    if (page.next === null) return seen;
    after = page.next;
  }
  throw new Error("the pages never end");
}
const emails = (list: UserRow[]) => list.map((u) => u.email);

describe("users list filters", () => {
  it("by role and by status, on one site or all, page after page", async () => {
    expect(emails(await walk({ siteId: siteA.id, role: "admin" }))).toEqual([adminA.email]);
    expect(emails(await walk({ siteId: null, role: "admin" }))).toEqual([disabledAdminB.email, adminA.email]);
    expect(emails(await walk({ siteId: siteA.id, status: "disabled" }))).toEqual([disabledA.email]);
    expect(emails(await walk({ siteId: null, status: "disabled" }))).toEqual([disabledAdminB.email, disabledA.email]);
    expect(emails(await walk({ siteId: null, role: "admin", status: "active" }))).toEqual([adminA.email]);
    const activeMembersA = await walk({ siteId: siteA.id, role: "member", status: "active" });
    expect(activeMembersA).toHaveLength(6);
    expect(activeMembersA.every((u) => u.role === "member" && !u.disabled && u.siteId === siteA.id)).toBe(true);
    expect(emails(await walk({ siteId: siteA.id, q: "m", status: "active" }))).toEqual(expect.arrayContaining([memberA.email, "m0@users-a.example.org"]));
  });

  it("reads them from the URL, names the ones it does not understand, and writes them back", () => {
    expect(parseUserFilters(new URLSearchParams("q=ada&role=admin&status=disabled&site=all&after=12"))).toEqual({
      filters: { q: "ada", role: "admin", status: "disabled", site: "all", after: 12 },
      invalid: [],
    });
    expect(parseUserFilters({ role: "owner", status: "gone", site: "-1", after: "x", q: "a\u0000b" })).toEqual({
      filters: {},
      invalid: ["q", "role", "status", "site", "after"],
    });
    expect(userQuery({ q: "ada", role: "admin", after: 12 })).toBe("q=ada&role=admin");
    expect(userFiltersApplied({})).toBe(false);
    expect(userFiltersApplied({ site: siteB.id })).toBe(true); // an empty other site: "no user matches", not "no users yet"
  });

  it("a superuser's site filter naming no site is ignored and named, like any filter the list cannot read", async () => {
    const parsed = parseUserFilters({ site: "999999", role: "admin" });
    expect(await scopeUrlSite(superA, siteA.id, parsed)).toBe(siteA.id);
    expect(parsed).toEqual({ filters: { role: "admin" }, invalid: ["site"] });
    const known = parseUserFilters({ site: String(siteB.id) });
    expect(await scopeUrlSite(superA, siteA.id, known)).toBe(siteB.id);
    expect(known.invalid).toEqual([]);
    // An admin's site filter is not theirs to set: ignored as before, not reported.
    const asAdmin = parseUserFilters({ site: "999999" });
    expect(await scopeUrlSite(adminA, siteA.id, asAdmin)).toBe(siteA.id);
    expect(asAdmin.invalid).toEqual([]);
    // ... and gone from the filters: not "filtered", not carried into the page's links.
    expect(userFiltersApplied(asAdmin.filters)).toBe(false);
    expect(userQuery(asAdmin.filters)).toBe("");
    expect(userQuery({ status: "active" }, { after: 40 })).toBe("status=active&after=40");
  });
});

describe("who may open whose account", () => {
  it("an admin's list shows the superusers, whose accounts only superusers open", async () => {
    const listed = await walk({ siteId: siteA.id });
    const openable = listed.filter((u) => canOpenUser(adminA, u)).map((u) => u.email);
    expect(emails(listed)).toContain(superA.email); // knowing who the superusers are helps an admin
    expect(openable).not.toContain(superA.email); // but the list must not link to a page they are refused
    expect(openable).toContain(adminA.email);
    // Other admins are a superuser's to manage; members are the admin's.
    const peer = { id: adminA.id + 1_000_000, role: "admin" as const };
    expect(canOpenUser(adminA, peer)).toBe(false);
    expect(canOpenUser(superA, peer)).toBe(true);
    expect(canOpenUser(adminA, { ...peer, role: "member" })).toBe(true);
    expect(listed.every((u) => canOpenUser(superA, u))).toBe(true);
  });
});

describe("users CSV export", () => {
  const get = async (path: string) => {
    const res = await exportCsv(new NextRequest(`http://localhost${path}`));
    const lines = res.status === 200 ? (await res.text()).split("\r\n").filter(Boolean) : [];
    return { res, lines };
  };

  it("an admin exports their own site, filtered; asking for every site changes nothing", async () => {
    actAs(adminA.id, siteA.domain);
    const { res, lines } = await get("/api/users/export");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(lines[0]).toBe("id,email,name,role,site,locale,status,created_at");
    expect(lines).toHaveLength(1 + 9);
    expect(lines.join("\n")).not.toMatch(/users-b\.example\.org|scrypt|\$/); // no other site, no password hash
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${disabledA.id},gone@users-a\\.example\\.org,"Gus, ""Gone""",member,users-a\\.example\\.org,fr,disabled,\\d{4}-`)));
    expect((await get("/api/users/export?site=all")).lines).toHaveLength(1 + 9);
    expect((await get(`/api/users/export?site=${siteB.id}`)).lines).toHaveLength(1 + 9);
    const admins = (await get("/api/users/export?role=admin")).lines;
    expect(admins.slice(1).map((l) => l.split(",")[1])).toEqual([adminA.email]);
    const english = (await get("/api/users/export?q=mia&status=active")).lines;
    expect(english.slice(1)).toEqual([expect.stringMatching(new RegExp(`^${memberA.id},member@users-a\\.example\\.org,Mia Member,member,users-a\\.example\\.org,en,active,`))]);
  });

  it("a superuser exports another site or every site; members and guests are refused", async () => {
    actAs(superA.id, siteA.domain);
    expect((await get(`/api/users/export?site=${siteB.id}`)).lines.slice(1).map((l) => l.split(",")[1]).sort()).toEqual([disabledAdminB.email, "member@users-b.example.org"]);
    const all = (await get("/api/users/export?site=all&role=admin")).lines.slice(1).map((l) => l.split(",")[1]);
    expect(all).toEqual(expect.arrayContaining([adminA.email, disabledAdminB.email]));
    // A site id no integer column holds is a filter the export cannot read: it is dropped (the
    // superuser's own site), never a query error after the CSV header has gone out.
    const tooBig = await get("/api/users/export?site=99999999999&after=2147483648");
    expect(tooBig.res.status).toBe(200);
    expect(tooBig.lines.slice(1).map((l) => l.split(",")[1])).toContain(adminA.email);
    expect(tooBig.lines).toHaveLength(1 + 9);
    // So is a site that does not exist: the export matches the list, which shows the own site.
    expect((await get("/api/users/export?site=999999")).lines).toHaveLength(1 + 9);
    actAs(memberA.id, siteA.domain);
    expect((await get("/api/users/export")).res.status).toBe(403);
    actAs(null, siteA.domain);
    expect((await get("/api/users/export")).res.status).toBe(401);
  });
});

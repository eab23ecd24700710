import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, type Site, type User } from "@/db/schema";
import { normalizeHost, requestHost, siteForHost, siteForRequest } from "@/lib/sites/resolve";
import { listUsers, type UserRow } from "@/lib/users/list";
import { env } from "@/lib/env";
import { sitesMailingLocalLinks } from "@/lib/sites/url";
import { makeSite, makeUser } from "./helpers/factories";

let siteA: Site;
let siteB: Site;
let fallback: Site;
let usersA: User[];
let usersB: User[];

/** Walks every page of a listing and returns the rows in order. */
async function allPages(options: { siteId: number | null; q?: string; limit: number }) {
  const seen: UserRow[] = [];
  let after: number | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await listUsers({ ...options, after });
    expect(page.users.length).toBeLessThanOrEqual(options.limit);
    seen.push(...page.users);
    if (page.next === null) return seen;
    expect(page.next).toBe(page.users[page.users.length - 1].id);
    after = page.next;
  }
  throw new Error("pagination never ended");
}

const ids = (list: { id: number }[]) => list.map((u) => u.id);
const sortedIds = (list: { id: number }[]) => ids(list).sort((a, b) => a - b);

beforeAll(async () => {
  // The default site is created second so that "oldest site" and "default site" differ.
  siteA = await makeSite({ domain: "alpha.example.org" });
  fallback = await makeSite({ domain: "main.example.org", isDefault: true });
  siteB = await makeSite({ domain: "beta.example.org" });

  // Both sites have people whose names and emails start alike, so a leak would show in searches.
  usersA = [];
  usersB = [];
  for (let i = 0; i < 7; i++) {
    usersA.push(await makeUser(siteA.id, "member", { email: `alice${i}@a.example.org`, name: `Alice A${i}` }));
    usersB.push(await makeUser(siteB.id, "member", { email: `alice${i}@b.example.org`, name: `Alice B${i}` }));
  }
  usersA.push(await makeUser(siteA.id, "admin", { email: "zed@a.example.org", name: "Zoé Martin" }));
  usersB.push(await makeUser(siteB.id, "admin", { email: "zed@b.example.org", name: "Zoé Martin" }));
  // LIKE metacharacters in data, and look-alikes that a wildcard would match.
  usersA.push(await makeUser(siteA.id, "member", { email: "50%off@a.example.org", name: "Percent" }));
  usersA.push(await makeUser(siteA.id, "member", { email: "50xoff@a.example.org", name: "Not percent" }));
  usersA.push(await makeUser(siteA.id, "member", { email: "a_b@a.example.org", name: "Underscore" }));
  usersA.push(await makeUser(siteA.id, "member", { email: "axb@a.example.org", name: "Not underscore" }));
  usersA.push(await makeUser(siteA.id, "member", { email: "back@a.example.org", name: "Back\\slash" }));
  usersA.push(await makeUser(siteA.id, "member", { email: "backxslash@a.example.org", name: "Backxslash" }));
});

describe("siteForHost", () => {
  it("picks the site whose domain is exactly the host", async () => {
    expect((await siteForHost("alpha.example.org")).id).toBe(siteA.id);
    expect((await siteForHost("beta.example.org")).id).toBe(siteB.id);
    expect((await siteForHost("main.example.org")).id).toBe(fallback.id);
  });

  it("ignores the port, the case and surrounding spaces", async () => {
    expect((await siteForHost("alpha.example.org:3000")).id).toBe(siteA.id);
    expect((await siteForHost("ALPHA.Example.Org")).id).toBe(siteA.id);
    expect((await siteForHost("Beta.EXAMPLE.org:8443")).id).toBe(siteB.id);
    expect((await siteForHost("  alpha.example.org  ")).id).toBe(siteA.id);
  });

  it("falls back to the default site for unknown hosts, localhost and no host", async () => {
    for (const host of ["unknown.example.net", "localhost", "localhost:3000", "127.0.0.1:3000", "[::1]:3000", "", null, undefined]) {
      expect((await siteForHost(host)).id, String(host)).toBe(fallback.id);
    }
  });

  it("matches the whole domain only, not a parent or a suffix", async () => {
    expect((await siteForHost("www.alpha.example.org")).id).toBe(fallback.id);
    expect((await siteForHost("example.org")).id).toBe(fallback.id);
    expect((await siteForHost("xalpha.example.org")).id).toBe(fallback.id);
  });

  it("uses the oldest site when no site is marked default", async () => {
    await db.update(sites).set({ isDefault: false }).where(eq(sites.id, fallback.id));
    try {
      expect((await siteForHost("unknown.example.net")).id).toBe(siteA.id);
      expect((await siteForHost("beta.example.org")).id).toBe(siteB.id);
    } finally {
      await db.update(sites).set({ isDefault: true }).where(eq(sites.id, fallback.id));
    }
  });

  it("normalizes hosts, keeping IPv6 brackets", () => {
    expect(normalizeHost("Example.ORG:3000")).toBe("example.org");
    expect(normalizeHost("[::1]:3000")).toBe("[::1]");
    expect(normalizeHost(null)).toBe("");
  });
});

describe("siteForRequest", () => {
  it("reads X-Forwarded-Host first: the page Next fetches from localhost after an action's redirect carries the original host there", async () => {
    // What Next's internal fetch of a redirect target looks like: its own origin as Host.
    const redirected = new Headers({ host: "localhost:3000", "x-forwarded-host": "beta.example.org:3000" });
    expect(requestHost(redirected)).toBe("beta.example.org:3000");
    expect((await siteForRequest(redirected)).id).toBe(siteB.id);
    // A chain of proxies: the first is the host the client asked for.
    expect((await siteForRequest(new Headers({ host: "internal:8080", "x-forwarded-host": "alpha.example.org, proxy.local" }))).id).toBe(siteA.id);
    // Without it (or empty), Host.
    expect((await siteForRequest(new Headers({ host: "alpha.example.org" }))).id).toBe(siteA.id);
    expect((await siteForRequest(new Headers({ host: "alpha.example.org", "x-forwarded-host": " " }))).id).toBe(siteA.id);
    expect((await siteForRequest(new Headers())).id).toBe(fallback.id);
  });
});

describe("listUsers is scoped to one site", () => {
  it("lists site A's users only, newest first", async () => {
    const { users: list, next } = await listUsers({ siteId: siteA.id, limit: 200 });
    expect(next).toBeNull();
    expect(list.every((u) => u.siteId === siteA.id && u.siteDomain === siteA.domain)).toBe(true);
    expect(sortedIds(list)).toEqual(sortedIds(usersA));
    expect(ids(list)).toEqual([...ids(list)].sort((a, b) => b - a));
  });

  it("never returns site B's users in a search, even when they match", async () => {
    const { users: list } = await listUsers({ siteId: siteA.id, q: "alice" });
    expect(sortedIds(list)).toEqual(sortedIds(usersA.filter((u) => u.email.startsWith("alice"))));
    const zoe = await listUsers({ siteId: siteA.id, q: "zoé" });
    expect(ids(zoe.users)).toEqual([usersA.find((u) => u.email === "zed@a.example.org")!.id]);
    // Searching for B's exact email from A finds nothing.
    expect((await listUsers({ siteId: siteA.id, q: "alice0@b.example.org" })).users).toEqual([]);
  });

  it("never returns site B's users across pages, with or without a search", async () => {
    for (const q of [undefined, "alice", "a"]) {
      for (const limit of [1, 2, 3, 5]) {
        const seen = await allPages({ siteId: siteA.id, q, limit });
        expect(seen.every((u) => u.siteId === siteA.id), `q=${q} limit=${limit}`).toBe(true);
      }
    }
  });

  it("lists every site for a superuser (siteId null)", async () => {
    const seen = await allPages({ siteId: null, limit: 4 });
    expect(sortedIds(seen)).toEqual(sortedIds([...usersA, ...usersB]));
  });
});

describe("keyset pagination", () => {
  it("returns every user exactly once across pages, in id order", async () => {
    for (const limit of [1, 2, 3, 4, 7, usersA.length, usersA.length + 1]) {
      const seen = await allPages({ siteId: siteA.id, limit });
      expect(new Set(ids(seen)).size, `limit ${limit}: duplicates`).toBe(seen.length);
      expect(sortedIds(seen), `limit ${limit}`).toEqual(sortedIds(usersA));
      expect(ids(seen)).toEqual([...ids(seen)].sort((a, b) => b - a));
    }
  });

  it("paginates a search the same way", async () => {
    const expected = usersA.filter((u) => u.email.startsWith("alice"));
    const seen = await allPages({ siteId: siteA.id, q: "Alice", limit: 2 });
    expect(new Set(ids(seen)).size).toBe(seen.length);
    expect(sortedIds(seen)).toEqual(sortedIds(expected));
  });

  it("says there is no next page when the last page is exactly full", async () => {
    const page = await listUsers({ siteId: siteA.id, limit: usersA.length });
    expect(page.users).toHaveLength(usersA.length);
    expect(page.next).toBeNull();
  });

  it("starts after the given id", async () => {
    const sorted = [...usersA].sort((a, b) => b.id - a.id);
    const page = await listUsers({ siteId: siteA.id, after: sorted[2].id, limit: 200 });
    expect(ids(page.users)).toEqual(ids(sorted.slice(3)));
  });
});

describe("search", () => {
  const emails = async (q: string, siteId: number | null = siteA.id) =>
    (await listUsers({ siteId, q, limit: 200 })).users.map((u) => u.email).sort();

  it("is a prefix match on the email", async () => {
    expect(await emails("alice3")).toEqual(["alice3@a.example.org"]);
    expect(await emails("ALICE3@A")).toEqual(["alice3@a.example.org"]);
    // Not a substring match.
    expect(await emails("lice3")).toEqual([]);
    expect(await emails("a.example.org")).toEqual([]);
  });

  it("is a prefix match on the name, case-insensitively", async () => {
    expect(await emails("zoé")).toEqual(["zed@a.example.org"]);
    expect(await emails("ZOÉ MAR")).toEqual(["zed@a.example.org"]);
    expect(await emails("martin")).toEqual([]);
    expect(await emails("alice a3")).toEqual(["alice3@a.example.org"]);
  });

  it("treats % and _ literally", async () => {
    expect(await emails("50%")).toEqual(["50%off@a.example.org"]);
    expect(await emails("50%off")).toEqual(["50%off@a.example.org"]);
    expect(await emails("a_b")).toEqual(["a_b@a.example.org"]);
    expect(await emails("%")).toEqual([]);
    expect(await emails("_")).toEqual([]);
    expect(await emails("%@a.example.org")).toEqual([]);
  });

  it("treats a backslash literally", async () => {
    expect(await emails("back\\")).toEqual(["back@a.example.org"]);
  });

  it("ignores surrounding spaces and an empty query", async () => {
    expect(await emails("  alice3  ")).toEqual(["alice3@a.example.org"]);
    expect(await emails("   ")).toHaveLength(usersA.length);
  });
});

describe("sitesMailingLocalLinks", () => {
  it("names, in production only, the sites whose emailed links would point at this machine", () => {
    const sites = [{ domain: "localhost" }, { domain: "news.example.org" }, { domain: "127.0.0.1" }];
    expect(sitesMailingLocalLinks(sites)).toEqual([]); // not in production: localhost is where one works
    const saved = env.NODE_ENV;
    env.NODE_ENV = "production";
    try {
      expect(sitesMailingLocalLinks(sites).map((s) => s.domain)).toEqual(["localhost", "127.0.0.1"]);
    } finally {
      env.NODE_ENV = saved;
    }
  });
});

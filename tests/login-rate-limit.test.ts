import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { rateLimits, users, type Site, type User } from "@/db/schema";
import { clientIp, verifyCredentials } from "@/lib/auth/credentials";
import { verifyPassword } from "@/lib/auth/password";
import { changePasswordAction } from "@/app/[locale]/(public)/profile/actions";
import { giveBack, hit, take } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { makeSite, makeUser, TEST_PASSWORD } from "./helpers/factories";
import { actAs } from "./helpers/request";
import { expectFailure, expectSuccess, run } from "./helpers/actions";

let siteA: Site;
let siteB: Site;

// Every test uses its own accounts and addresses, so counters never leak between tests.
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;
const WRONG = "not the password";

const attempt = (email: string, password: string, ip: string, site: Site = siteA) =>
  verifyCredentials({ email, password, ip, siteId: site.id });

async function fail(email: string, ip: string, times: number, site: Site = siteA) {
  for (let i = 0; i < times; i++) expect(await attempt(email, WRONG, ip, site)).toEqual({ ok: false, reason: "invalid" });
}

beforeAll(async () => {
  siteA = await makeSite({ domain: "a.example.org" });
  siteB = await makeSite({ domain: "b.example.org" });
});

describe("verifyCredentials", () => {
  it("runs with the test limits", () => {
    expect(env.LOGIN_MAX_FAILURES).toBe(5);
    expect(env.LOGIN_MAX_FAILURES_PER_IP).toBe(20);
  });

  it("accepts the right password and refuses a wrong one", async () => {
    const user = await makeUser(siteA.id);
    const ok = await attempt(user.email, TEST_PASSWORD, freshIp());
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.user.id).toBe(user.id);
    expect(await attempt(user.email, WRONG, freshIp())).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt(user.email, "", freshIp())).toEqual({ ok: false, reason: "invalid" });
  });

  it("matches the email whatever its case and surrounding spaces", async () => {
    const user = await makeUser(siteA.id);
    const result = await attempt(`  ${user.email.toUpperCase()} `, TEST_PASSWORD, freshIp());
    expect(result.ok).toBe(true);
  });

  it("answers invalid for an unknown email", async () => {
    expect(await attempt("nobody@example.org", TEST_PASSWORD, freshIp())).toEqual({ ok: false, reason: "invalid" });
  });

  it("after LOGIN_MAX_FAILURES failures, even the right password answers rate_limited", async () => {
    const user = await makeUser(siteA.id);
    const ip = freshIp();
    await fail(user.email, ip, env.LOGIN_MAX_FAILURES);
    expect(await attempt(user.email, TEST_PASSWORD, ip)).toEqual({ ok: false, reason: "rate_limited" });
    // The lock is on the account: another address or another letter case does not lift it.
    expect(await attempt(user.email, TEST_PASSWORD, freshIp())).toEqual({ ok: false, reason: "rate_limited" });
    expect(await attempt(user.email.toUpperCase(), TEST_PASSWORD, freshIp())).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("one failure below the account limit still lets the right password in", async () => {
    const user = await makeUser(siteA.id);
    await fail(user.email, freshIp(), env.LOGIN_MAX_FAILURES - 1);
    expect((await attempt(user.email, TEST_PASSWORD, freshIp())).ok).toBe(true);
  });

  it("a locked account does not affect another account from another address", async () => {
    const locked = await makeUser(siteA.id);
    const other = await makeUser(siteA.id);
    await fail(locked.email, freshIp(), env.LOGIN_MAX_FAILURES);
    expect(await attempt(locked.email, TEST_PASSWORD, freshIp())).toMatchObject({ reason: "rate_limited" });
    expect((await attempt(other.email, TEST_PASSWORD, freshIp())).ok).toBe(true);
  });

  it("limits an address across many accounts (LOGIN_MAX_FAILURES_PER_IP)", async () => {
    const ip = freshIp();
    const perAccount = env.LOGIN_MAX_FAILURES - 1; // stay under the per-account limit
    const accounts = [];
    for (let failures = 0; failures < env.LOGIN_MAX_FAILURES_PER_IP; failures += perAccount) {
      const user = await makeUser(siteA.id);
      accounts.push(user);
      await fail(user.email, ip, Math.min(perAccount, env.LOGIN_MAX_FAILURES_PER_IP - failures));
    }
    const fresh = await makeUser(siteA.id);
    expect(await attempt(fresh.email, TEST_PASSWORD, ip)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await attempt("nobody-else@example.org", WRONG, ip)).toEqual({ ok: false, reason: "rate_limited" });
    // The same accounts from another address are fine: none reached its own limit.
    expect((await attempt(fresh.email, TEST_PASSWORD, freshIp())).ok).toBe(true);
    expect((await attempt(accounts[0].email, TEST_PASSWORD, freshIp())).ok).toBe(true);
  });

  it("one address below its limit is not blocked", async () => {
    const ip = freshIp();
    for (let i = 0; i < env.LOGIN_MAX_FAILURES_PER_IP - 1; i++) {
      expect(await attempt(`ghost${i}@example.org`, WRONG, ip)).toMatchObject({ reason: "invalid" });
    }
    const user = await makeUser(siteA.id);
    expect((await attempt(user.email, TEST_PASSWORD, ip)).ok).toBe(true);
  });

  it("a success resets the account counter", async () => {
    const user = await makeUser(siteA.id);
    const below = env.LOGIN_MAX_FAILURES - 1;
    await fail(user.email, freshIp(), below);
    expect((await attempt(user.email, TEST_PASSWORD, freshIp())).ok).toBe(true);
    await fail(user.email, freshIp(), below);
    // Without the reset this would be 2 × (limit − 1) failures: locked.
    expect((await attempt(user.email, TEST_PASSWORD, freshIp())).ok).toBe(true);
  });

  it("counts only within the window: an old window starts again at zero", async () => {
    const user = await makeUser(siteA.id);
    await fail(user.email, freshIp(), env.LOGIN_MAX_FAILURES);
    expect(await attempt(user.email, TEST_PASSWORD, freshIp())).toMatchObject({ reason: "rate_limited" });
    await db
      .update(rateLimits)
      .set({ windowStart: sql`now() - make_interval(secs => ${env.LOGIN_WINDOW_SECONDS + 60})` })
      .where(sql`${rateLimits.key} = ${`login:account:${user.email}`}`);
    expect((await attempt(user.email, TEST_PASSWORD, freshIp())).ok).toBe(true);
  });

  it("a disabled user gets invalid, even with the right password", async () => {
    const user = await makeUser(siteA.id, "admin", { disabledAt: new Date() });
    expect(await attempt(user.email, TEST_PASSWORD, freshIp())).toEqual({ ok: false, reason: "invalid" });
  });

  it("a member or admin of site B cannot sign in on site A, but on site B", async () => {
    for (const role of ["member", "admin"] as const) {
      const user = await makeUser(siteB.id, role);
      expect(await attempt(user.email, TEST_PASSWORD, freshIp(), siteA), role).toEqual({ ok: false, reason: "invalid" });
      expect((await attempt(user.email, TEST_PASSWORD, freshIp(), siteB)).ok, role).toBe(true);
    }
  });

  it("a superuser signs in on any site", async () => {
    const root = await makeUser(siteB.id, "superuser");
    expect((await attempt(root.email, TEST_PASSWORD, freshIp(), siteA)).ok).toBe(true);
    expect((await attempt(root.email, TEST_PASSWORD, freshIp(), siteB)).ok).toBe(true);
  });
});

/**
 * Each HTTP request is its own verifyCredentials call: an attacker can send many at once. The
 * limits must hold when they are counted in parallel, not only one after another.
 */
describe("verifyCredentials under parallel attempts", () => {
  const checked = (results: Awaited<ReturnType<typeof attempt>>[]) => results.filter((r) => r.ok || r.reason === "invalid").length;

  it("never checks more than LOGIN_MAX_FAILURES passwords of one account, even sent at once", async () => {
    const user = await makeUser(siteA.id);
    // 30 guesses in parallel, each from its own address so the per-IP limit plays no part.
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(user.email, `guess-${i}`, freshIp())));
    expect(checked(results), "passwords checked").toBeLessThanOrEqual(env.LOGIN_MAX_FAILURES);
  });

  it("a right password sent while a burst of wrong ones holds the account's attempts is still refused", async () => {
    const user = await makeUser(siteA.id);
    const burst = Promise.all(Array.from({ length: 19 }, (_, i) => attempt(user.email, `guess-${i}`, freshIp())));
    // Sent together, the burst's requests reach the database in no set order: the right password
    // goes once the burst has taken the account's attempts (their checks may still be running).
    // Sent inside the burst instead, it was refused only when it happened to arrive late.
    await vi.waitFor(
      async () => {
        const [row] = await db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.key, `login:account:${user.email}`));
        expect(row?.count ?? 0).toBeGreaterThanOrEqual(env.LOGIN_MAX_FAILURES);
      },
      { timeout: 30_000, interval: 5 },
    );
    expect(await attempt(user.email, TEST_PASSWORD, freshIp())).toEqual({ ok: false, reason: "rate_limited" });
    expect(checked(await burst), "passwords checked").toBeLessThanOrEqual(env.LOGIN_MAX_FAILURES);
  });

  it("never checks more than LOGIN_MAX_FAILURES_PER_IP passwords from one address, even sent at once", async () => {
    const ip = freshIp();
    // One guess per account (never its own limit), all from one address.
    const results = await Promise.all(Array.from({ length: env.LOGIN_MAX_FAILURES_PER_IP + 10 }, (_, i) => attempt(`spray-${i}@example.org`, WRONG, ip)));
    expect(checked(results), "passwords checked").toBeLessThanOrEqual(env.LOGIN_MAX_FAILURES_PER_IP);
  });

  it("successful sign-ins do not use up an address's limit (many people behind one NAT)", async () => {
    const ip = freshIp();
    const user = await makeUser(siteA.id);
    for (let i = 0; i <= env.LOGIN_MAX_FAILURES_PER_IP; i++) expect((await attempt(user.email, TEST_PASSWORD, ip)).ok, `sign-in ${i + 1}`).toBe(true);
  });

  it("a right password for one's own account does not clear the address's failures at others", async () => {
    const ip = freshIp();
    const own = await makeUser(siteA.id);
    for (let i = 0; i < env.LOGIN_MAX_FAILURES_PER_IP - 1; i++) await fail(`victim-${ipCounter}-${i}@example.org`, ip, 1);
    // The attacker signs into their own account between guesses...
    expect((await attempt(own.email, TEST_PASSWORD, ip)).ok).toBe(true);
    // ...and still has only the one failure left that the address had before.
    await fail(`victim-${ipCounter}-last@example.org`, ip, 1);
    expect(await attempt(`victim-${ipCounter}-more@example.org`, WRONG, ip)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await attempt(own.email, TEST_PASSWORD, ip)).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("attempts refused by a limit are not counted as failures of the address", async () => {
    const ip = freshIp();
    const locked = await makeUser(siteA.id);
    const other = await makeUser(siteA.id);
    await fail(locked.email, ip, env.LOGIN_MAX_FAILURES);
    // Someone behind this address keeps trying the locked account: nothing is checked, nothing counts.
    for (let i = 0; i < env.LOGIN_MAX_FAILURES_PER_IP; i++) expect(await attempt(locked.email, TEST_PASSWORD, ip)).toMatchObject({ reason: "rate_limited" });
    expect((await attempt(other.email, TEST_PASSWORD, ip)).ok).toBe(true);
  });
});

/**
 * The current password asked by "change password" is a password check like a sign-in: someone
 * holding a session cookie (a shared computer) must not be able to guess it without limit.
 */
describe("the sign-in limit covers the current password of a password change", () => {
  const NEW = "new password 123";
  const change = (currentPassword: string) => run(changePasswordAction, { currentPassword, password: NEW, confirmPassword: NEW });
  const passwordIs = async (user: User, password: string) => {
    const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    return verifyPassword(password, row.passwordHash);
  };

  it("past LOGIN_MAX_FAILURES wrong current passwords, even the right one is refused", async () => {
    const member = await makeUser(siteA.id);
    actAs(member.id, siteA.domain);
    for (let i = 0; i < env.LOGIN_MAX_FAILURES; i++) expectFailure(await change(`guess ${i}`), "errors.currentPasswordWrong");
    expectFailure(await change("one guess more"), "errors.rateLimited");
    expectFailure(await change(TEST_PASSWORD), "errors.rateLimited");
    expect(await passwordIs(member, TEST_PASSWORD)).toBe(true);
  });

  it("counts under the account's sign-in key: failed sign-ins and wrong current passwords add up", async () => {
    const member = await makeUser(siteA.id);
    actAs(member.id, siteA.domain);
    await fail(member.email, freshIp(), env.LOGIN_MAX_FAILURES - 1);
    expectFailure(await change("a guess"), "errors.currentPasswordWrong");
    expect(await attempt(member.email, TEST_PASSWORD, freshIp())).toEqual({ ok: false, reason: "rate_limited" });
    expectFailure(await change(TEST_PASSWORD), "errors.rateLimited");
  });

  it("never checks more than LOGIN_MAX_FAILURES current passwords, even sent at once", async () => {
    const member = await makeUser(siteA.id);
    actAs(member.id, siteA.domain);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => change(`guess ${i}`)));
    const checked = answers.filter((a) => "error" in a && a.error.key === "errors.currentPasswordWrong").length;
    expect(checked, "current passwords checked").toBeLessThanOrEqual(env.LOGIN_MAX_FAILURES);
  });

  it("the right current password below the limit still changes it, and clears the account's failures", async () => {
    const member = await makeUser(siteA.id);
    actAs(member.id, siteA.domain);
    for (let i = 0; i < env.LOGIN_MAX_FAILURES - 1; i++) expectFailure(await change(`guess ${i}`), "errors.currentPasswordWrong");
    expectSuccess(await change(TEST_PASSWORD));
    expect(await passwordIs(member, NEW)).toBe(true);
    await fail(member.email, freshIp(), env.LOGIN_MAX_FAILURES - 1);
    expect((await attempt(member.email, NEW, freshIp())).ok).toBe(true);
  });
});

describe("rate-limit slots", () => {
  const count = async (key: string) => (await db.select({ count: rateLimits.count }).from(rateLimits).where(sql`${rateLimits.key} = ${key}`))[0]?.count;

  it("a slot given back is uncounted in its window", async () => {
    const key = `test:slot:${++ipCounter}`;
    await hit(key, 60);
    await giveBack(await take(key, 60));
    expect(await count(key)).toBe(1);
  });

  it("a slot given back after its window ended leaves the new window's count alone", async () => {
    const key = `test:slot:${++ipCounter}`;
    const old = await take(key, 60);
    await db.update(rateLimits).set({ windowStart: sql`now() - interval '61 seconds'` }).where(sql`${rateLimits.key} = ${key}`);
    expect(await hit(key, 60)).toBe(1); // a new window, holding one other attempt
    await giveBack(old);
    expect(await count(key)).toBe(1);
  });
});

describe("clientIp", () => {
  it("takes the address the trusted proxy appended, then x-real-ip, else a fixed bucket", () => {
    // One proxy (the default): it appended the address it saw; what the client sent stays left.
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "198.51.100.1, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "forged-1, forged-2,203.0.113.9 " }))).toBe("203.0.113.9");
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.10" }))).toBe("203.0.113.10");
    expect(clientIp(new Headers({ "x-forwarded-for": " , " }))).toBe("unknown");
    expect(clientIp(new Headers())).toBe("unknown");
  });

  it("a client cannot pick a fresh rate-limit bucket by forging X-Forwarded-For", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id);
    const forged = (i: number) => new Headers({ "x-forwarded-for": `10.9.${i}.1, 203.0.113.77` });
    for (let i = 0; i < env.LOGIN_MAX_FAILURES_PER_IP; i++) {
      await verifyCredentials({ email: `nobody-${i}@example.org`, password: "wrong", ip: clientIp(forged(i)), siteId: site.id });
    }
    // A correct password from the same client is refused while its one bucket is full.
    expect(await verifyCredentials({ email: user.email, password: TEST_PASSWORD, ip: clientIp(forged(999)), siteId: site.id })).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("counts TRUSTED_PROXY_HOPS from the right behind a chain of proxies", async () => {
    vi.stubEnv("TRUSTED_PROXY_HOPS", "2");
    vi.resetModules();
    try {
      const { clientIp: twoHops } = await import("@/lib/auth/credentials");
      expect(twoHops(new Headers({ "x-forwarded-for": "forged, 203.0.113.9, 10.0.0.2" }))).toBe("203.0.113.9");
      expect(twoHops(new Headers({ "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { decode, encode, type JWT } from "next-auth/jwt";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { endSession } from "@/lib/auth/ended-sessions";
import { handlers } from "@/lib/auth/next-auth";
import { sessionStamp } from "@/lib/auth/session-stamp";
import { identityOf } from "@/lib/auth/session-token";
import { env } from "@/lib/env";
import { makeSite, makeUser } from "./helpers/factories";

// next-auth's own session endpoint (GET /api/auth/session) reads the cookie and renews it, for
// 30 more days, without going through the app's check (lib/auth/actor.ts). A copy of a cookie
// signed out of, kept alive through it, would outlive the record of its sign-out; and it named
// disabled accounts. It now answers only for a session that still opens its account.

const COOKIE = "authjs.session-token";
const now = () => Math.floor(Date.now() / 1000);

/** A session cookie as sign-in makes it, for `userId` (overrides: claims to change). */
async function cookieFor(userId: number, claims: Partial<JWT> = {}) {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  const token: JWT = { sub: String(userId), stamp: sessionStamp(user.passwordHash), sid: `sid-${userId}-${Math.random()}`, end: now() + 86_400, ...claims };
  return { token, value: await encode({ secret: env.AUTH_SECRET, salt: COOKIE, token, maxAge: 30 * 86_400 }) };
}

/** Asks the endpoint with that cookie: who it names, and the cookie it sets back (null: none). */
async function ask(value: string) {
  const response = await handlers.GET(new NextRequest("http://localhost/api/auth/session", { headers: { cookie: `${COOKIE}=${value}` } }));
  const body = (await response.json()) as { user?: { id?: string } } | null;
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  const renewed = set ? set.split(";")[0].slice(COOKIE.length + 1) : null;
  return { user: body?.user?.id ?? null, renewed: renewed ? await decode({ secret: env.AUTH_SECRET, salt: COOKIE, token: renewed }) : null };
}

describe("next-auth's session endpoint", () => {
  it("answers and renews a live session, keeping its id and its end", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id);
    const { token, value } = await cookieFor(user.id);
    const answer = await ask(value);
    expect(answer.user).toBe(String(user.id));
    expect(answer.renewed).toMatchObject({ sid: token.sid, end: token.end });
  });

  it("does not answer for, nor renew, a session signed out of; the cookie is cleared", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id);
    const { token, value } = await cookieFor(user.id);
    await endSession(identityOf(token));
    const answer = await ask(value);
    expect(answer.user).toBeNull();
    expect(answer.renewed).toBeNull();
  });

  it("does not answer for a disabled account, a changed password, or a session past its end", async () => {
    const site = await makeSite();
    const disabled = await makeUser(site.id, "member", { disabledAt: new Date() });
    expect((await ask((await cookieFor(disabled.id)).value)).user).toBeNull();
    const member = await makeUser(site.id);
    expect((await ask((await cookieFor(member.id, { stamp: "a".repeat(22) })).value)).user).toBeNull();
    expect((await ask((await cookieFor(member.id, { end: now() - 1 })).value)).user).toBeNull();
    // A cookie from before sessions had an id and an end cannot be signed out of: refused.
    expect((await ask((await cookieFor(member.id, { sid: undefined, end: undefined })).value)).user).toBeNull();
  });
});

describe("identityOf", () => {
  it("reads the session's end as its expiry, and refuses a token without id or end", () => {
    const end = now() + 60;
    expect(identityOf({ sub: "7", stamp: "s", sid: "x", end })).toEqual({ userId: 7, stamp: "s", sid: "x", expiresAt: new Date(end * 1000) });
    expect(identityOf({ sub: "7", stamp: "s", sid: "x", end }, (end + 1) * 1000)).toBeNull();
    expect(identityOf({ sub: "7", stamp: "s", end })).toBeNull();
    expect(identityOf({ sub: "7", stamp: "s", sid: "x" })).toBeNull();
    expect(identityOf({ sub: "0", sid: "x", end })).toBeNull();
    expect(identityOf(null)).toBeNull();
  });
});

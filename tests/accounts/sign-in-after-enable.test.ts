import { afterEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { decode } from "next-auth/jwt";
import { handlers } from "@/lib/auth/next-auth";
import { sessionAccount } from "@/lib/auth/session-account";
import { identityOf } from "@/lib/auth/session-token";
import { env } from "@/lib/env";
import { updateUser } from "@/lib/users/manage";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";

// Disabling an account ends the sessions opened before it (users.sessions_ended_at, in ms). A
// session's opening is read from its end, which sign-in writes in whole seconds: a sign-in in
// the same second as the disabling, but after it (and after the account was enabled again),
// must open the account.

const COOKIE = "authjs.session-token";
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]);

/** Signs in through next-auth's own credentials callback, as the sign-in form does; the session token it sets. */
async function signIn(host: string, email: string) {
  const csrf = await handlers.GET(new NextRequest(`http://${host}/api/auth/csrf`, { headers: { host } }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await handlers.POST(
    new NextRequest(`http://${host}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { host, "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; "), "x-forwarded-for": "203.0.113.9" },
      body: new URLSearchParams({ csrfToken, email, password: TEST_PASSWORD, callbackUrl: `http://${host}/` }).toString(),
    }),
  );
  const value = cookiesOf(res).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
  expect(value).toBeTruthy();
  return decode({ secret: env.AUTH_SECRET, salt: COOKIE, token: value! });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a sign-in just after an account was enabled again", () => {
  it("opens the account even within the second it was disabled in", async () => {
    const site = await makeSite();
    const member = await makeUser(site.id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T10:00:00.600Z"));
    await updateUser(member.id, null, { disabled: true });
    vi.setSystemTime(new Date("2030-01-01T10:00:00.700Z"));
    await updateUser(member.id, null, { disabled: false });
    vi.setSystemTime(new Date("2030-01-01T10:00:00.900Z"));
    const token = await signIn(site.domain, member.email);
    const identity = identityOf(token);
    expect(identity?.userId).toBe(member.id);
    expect((await sessionAccount(identity!))?.id).toBe(member.id);
  });
});

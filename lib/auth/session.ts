import "server-only";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { signIn } from "./next-auth";
import { identityOf, type SessionIdentity } from "./session-token";

export type { SessionIdentity } from "./session-token";

/**
 * The signed-in user from the session cookie, or null. One of the seams tests replace.
 * Read from `cookies()` rather than with next-auth's `auth()`, which reads the request's Cookie
 * header: after a server action opens a new session (openSession), the page it renders again
 * in the same response must see the new cookie, not the one the request came with.
 */
export async function sessionIdentity(): Promise<SessionIdentity | null> {
  const req = { headers: { cookie: (await cookies()).toString() } };
  // `__Secure-` cookies on https (next-auth names them so there), plain ones on http.
  const token =
    (await getToken({ req, secret: env.AUTH_SECRET, secureCookie: true })) ?? (await getToken({ req, secret: env.AUTH_SECRET, secureCookie: false }));
  return identityOf(token);
}

/**
 * Signs this browser in with a password it was just given: after changing one's own password
 * (which ended every session opened with the old one, this one included), or to an account just
 * created by self-registration. The other seam tests replace, since next-auth's signIn needs a
 * real request. Returns false when sign-in is refused (the account rate-limited by someone
 * else's failed attempts): the person then signs in by hand.
 */
export async function openSession(email: string, password: string): Promise<boolean> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return true;
  } catch (error) {
    console.warn("[auth] could not sign this browser in", error);
    return false;
  }
}

import "server-only";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { signIn } from "./next-auth";

/** Who the session cookie names, and the password stamp it was opened with. */
export type SessionIdentity = { userId: number; stamp: string | null };

/**
 * The signed-in user from the session cookie, or null. One of the seams tests replace.
 * Read from `cookies()` rather than with next-auth's `auth()`, which reads the request's Cookie
 * header: after a server action renews the session (renewSession), the page it renders again
 * in the same response must see the new cookie, not the one the request came with.
 */
export async function sessionIdentity(): Promise<SessionIdentity | null> {
  const req = { headers: { cookie: (await cookies()).toString() } };
  // `__Secure-` cookies on https (next-auth names them so there), plain ones on http.
  const token =
    (await getToken({ req, secret: env.AUTH_SECRET, secureCookie: true })) ?? (await getToken({ req, secret: env.AUTH_SECRET, secureCookie: false }));
  const userId = Number(token?.sub);
  if (!Number.isInteger(userId) || userId <= 0) return null;
  return { userId, stamp: typeof token?.stamp === "string" ? token.stamp : null };
}

/**
 * Opens a new session for this browser with the password just set: changing one's own
 * password ends every session opened with the old one, this one included, and the person who
 * changed it should not be signed out. The other seam tests replace.
 * Returns false when sign-in refused (the account is rate-limited by someone else's failures).
 */
export async function renewSession(email: string, password: string): Promise<boolean> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return true;
  } catch (error) {
    console.warn("[auth] could not renew the session after a password change", error);
    return false;
  }
}

/**
 * Signs this browser in to an account just created (self-registration). The seam tests replace,
 * since next-auth's signIn needs a real request. Returns false when sign-in refused, e.g. the
 * account is rate-limited by someone else's failures: the person then signs in by hand.
 */
export async function openSession(email: string, password: string): Promise<boolean> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return true;
  } catch (error) {
    console.warn("[auth] could not sign in the account just created", error);
    return false;
  }
}

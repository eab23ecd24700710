import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { sessionStamp } from "@/lib/auth/session-stamp";

/**
 * The request a test pretends to be in: who is signed in and which host was asked for.
 * Server actions read these through the seams mocked in setup.ts. `stamp` is the password
 * stamp the session cookie was opened with: left undefined, a session opened just now (with the
 * current password); set it to keep a session opened before a password change.
 */
export const fakeRequest = {
  userId: null as number | null,
  host: "localhost",
  ip: "203.0.113.1",
  stamp: undefined as string | null | undefined,
  /** The session's id and expiry in its cookie (null: a cookie from before sessions had ids). */
  sid: null as string | null,
  expiresAt: null as Date | null,
  /** Sessions the code under test opened in this browser (openSession), in order. */
  opened: [] as { email: string; password: string }[],
  /** Makes openSession fail, as a sign-in refused for a rate-limited account does. */
  refuseSignIn: false,
  /** How many times an action asked next/cache to send the page re-rendered with its answer. */
  refreshes: 0,
  /** Work the code under test left for after its response (`after()`), not run yet. */
  afterResponse: [] as AfterTask[],
};

type AfterTask = Promise<unknown> | (() => unknown);

/**
 * Runs the work left for after the response, as Next.js does once it is sent. Until then, a
 * test sees what the person who made the request saw when they got the answer.
 */
export async function afterResponse() {
  for (const task of fakeRequest.afterResponse.splice(0)) await (typeof task === "function" ? task() : task);
}

export function actAs(userId: number | null, host = "localhost") {
  fakeRequest.userId = userId;
  fakeRequest.host = host;
  fakeRequest.stamp = undefined;
  fakeRequest.sid = null;
  fakeRequest.expiresAt = null;
  fakeRequest.refuseSignIn = false;
}

/** The stamp the fake session cookie carries: its own, or that of the user's current password. */
export async function fakeSessionStamp(): Promise<string | null> {
  if (fakeRequest.stamp !== undefined || fakeRequest.userId === null) return fakeRequest.stamp ?? null;
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, fakeRequest.userId)).limit(1);
  return user ? sessionStamp(user.passwordHash) : null;
}

/** The stamp a session opened now for this address would carry (null: no such account). */
export async function stampOfAccount(email: string): Promise<string | null> {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user ? sessionStamp(user.passwordHash) : null;
}

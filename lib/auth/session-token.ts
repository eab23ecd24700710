import type { JWT } from "next-auth/jwt";

/**
 * Who a session cookie names, the password stamp it was opened with, and the session's own id
 * and end, which signing out records (lib/auth/ended-sessions.ts). Tests' fake sessions may
 * leave the id out.
 */
export type SessionIdentity = { userId: number; stamp: string | null; sid?: string | null; expiresAt?: Date | null; openedAt?: Date | null };

/**
 * The identity a decoded session token carries, or null: no user, no session id or end (a
 * cookie from before sessions had them), or past its end. The end is set once, at sign-in:
 * next-auth renews a cookie's `exp` each time its session endpoint is asked, and a copy kept
 * alive that way must not outlive the record of its sign-out, which is kept until the end.
 */
export function identityOf(token: JWT | null, now = Date.now()): SessionIdentity | null {
  const userId = Number(token?.sub);
  if (!token || !Number.isInteger(userId) || userId <= 0) return null;
  if (typeof token.sid !== "string" || typeof token.end !== "number" || token.end * 1000 <= now) return null;
  return { userId, stamp: typeof token.stamp === "string" ? token.stamp : null, sid: token.sid, expiresAt: new Date(token.end * 1000), ...(typeof token.opened === "number" ? { openedAt: new Date(token.opened) } : {}) };
}

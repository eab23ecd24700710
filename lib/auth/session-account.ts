import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { SESSION_MAX_AGE_S, sessionEnded } from "./ended-sessions";
import type { SessionIdentity } from "./session";
import { sessionStamp } from "./session-stamp";
import type { Actor } from "./roles";

/**
 * The account a session cookie opens, as the database knows it now; null when the session was
 * signed out of (this cookie, or a copy of it: lib/auth/ended-sessions.ts), the account is gone
 * or disabled, or its password changed since the session was opened (lib/auth/session-stamp.ts),
 * or it was opened before the account was last disabled (users.sessions_ended_at).
 * One query. Every request's actor comes from here (lib/auth/actor.ts), and so does next-auth's
 * own session endpoint, which would otherwise answer for, and renew, any well-signed cookie.
 */
export async function sessionAccount(session: SessionIdentity): Promise<Actor | null> {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      siteId: users.siteId,
      locale: users.locale,
      disabledAt: users.disabledAt,
      sessionsEndedAt: users.sessionsEndedAt,
      passwordHash: users.passwordHash,
      ended: session.sid ? sessionEnded(session.sid) : sql<boolean>`false`,
    })
    .from(users)
    .where(eq(users.id, session.userId))
    .limit(1);
  if (!user || user.disabledAt || user.ended || session.stamp !== sessionStamp(user.passwordHash)) return null;
  if (user.sessionsEndedAt && openedAt(session) < user.sessionsEndedAt.getTime()) return null;
  const { disabledAt: _disabled, passwordHash: _hash, ended: _ended, sessionsEndedAt: _ended2, ...actor } = user;
  return actor;
}

/**
 * When a session was opened: as sign-in recorded it, to the millisecond; for a cookie from before
 * that, its fixed end (whole seconds) less the sessions' length; a test's fake session without either: now.
 */
const openedAt = (session: SessionIdentity) =>
  session.openedAt ? session.openedAt.getTime() : session.expiresAt ? session.expiresAt.getTime() - SESSION_MAX_AGE_S * 1000 : Date.now();

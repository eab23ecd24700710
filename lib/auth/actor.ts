import "server-only";
import { cache } from "react";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { sessionEnded } from "./ended-sessions";
import { sessionIdentity } from "./session";
import { sessionStamp } from "./session-stamp";
import type { Actor } from "./roles";

/**
 * The signed-in user as the database knows them now; null when signed out (this session's
 * cookie, or a copy of it: lib/auth/ended-sessions.ts), disabled, or when the password changed
 * since the session was opened (lib/auth/session-stamp.ts).
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await sessionIdentity();
  if (!session) return null;
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      siteId: users.siteId,
      locale: users.locale,
      disabledAt: users.disabledAt,
      passwordHash: users.passwordHash,
      // In the same query: a signed-out session costs nothing more per request.
      ended: session.sid ? sessionEnded(session.sid) : sql<boolean>`false`,
    })
    .from(users)
    .where(eq(users.id, session.userId))
    .limit(1);
  if (!user || user.disabledAt || user.ended || session.stamp !== sessionStamp(user.passwordHash)) return null;
  const { disabledAt: _disabled, passwordHash: _hash, ended: _ended, ...actor } = user;
  return actor;
});

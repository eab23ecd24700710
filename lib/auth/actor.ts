import "server-only";
import { cache } from "react";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { sessionIdentity } from "./session";
import { sessionStamp } from "./session-stamp";
import type { Actor } from "./roles";

/**
 * The signed-in user as the database knows them now; null when signed out, disabled, or when
 * the password changed since the session was opened (lib/auth/session-stamp.ts).
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
    })
    .from(users)
    .where(eq(users.id, session.userId))
    .limit(1);
  if (!user || user.disabledAt || session.stamp !== sessionStamp(user.passwordHash)) return null;
  const { disabledAt: _disabled, passwordHash: _hash, ...actor } = user;
  return actor;
});

import "server-only";
import { cache } from "react";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { sessionUserId } from "./session";
import type { Actor } from "./roles";

/** The signed-in user as the database knows them now; null when signed out or disabled. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const id = await sessionUserId();
  if (!id) return null;
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      siteId: users.siteId,
      locale: users.locale,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!user || user.disabledAt) return null;
  const { disabledAt: _disabled, ...actor } = user;
  return actor;
});

import { lt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { endedSessions } from "@/db/schema";
import type { SessionIdentity } from "./session-token";

/** How long a session cookie lives (next-auth's maxAge): an ended session is remembered that long. */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * Records that the session `identity` was signed out of: a copy of its cookie no longer opens
 * the account (lib/auth/session-account.ts), until the session's end, past which no cookie of
 * it is accepted anyway (lib/auth/session-token.ts).
 */
export async function endSession(identity: SessionIdentity | null): Promise<void> {
  if (!identity?.sid) return;
  const expiresAt = identity.expiresAt ?? new Date(Date.now() + SESSION_MAX_AGE_S * 1000);
  await db.insert(endedSessions).values({ sid: identity.sid, userId: identity.userId, expiresAt }).onConflictDoNothing();
}

/** `true` in SQL when the session id was signed out of. */
export const sessionEnded = (sid: string) => sql<boolean>`exists (select 1 from ${endedSessions} where ${endedSessions.sid} = ${sid})`;

/** Forgets ended sessions whose cookie has expired anyway (housekeeping). */
export async function purgeEndedSessions(): Promise<void> {
  await db.delete(endedSessions).where(lt(endedSessions.expiresAt, new Date()));
}

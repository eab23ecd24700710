import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { endedSessions } from "@/db/schema";
import { currentActor } from "@/lib/auth/actor";
import { endSession, purgeEndedSessions } from "@/lib/auth/ended-sessions";
import { sessionIdentity } from "@/lib/auth/session";
import { housekeeping } from "@/lib/queue/housekeeping";
import { actAs, fakeRequest } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";

// Signing out records the session's id: a copy of its cookie (kept by someone else, or stolen)
// no longer opens the account, while the person's other sessions go on. The browser side (the
// cookie really carries the id, the button records it) is in e2e/02-sign-in.spec.ts.

/** Who currentActor sees in a browser holding session `sid` of `userId`. */
async function actorIn(userId: number, sid: string | null) {
  actAs(userId);
  fakeRequest.sid = sid;
  return currentActor();
}

describe("a session signed out of", () => {
  it("no longer opens the account; the user's other sessions stay open", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id);
    expect((await actorIn(user.id, "laptop-session"))?.id).toBe(user.id);
    expect((await actorIn(user.id, "phone-session"))?.id).toBe(user.id);

    actAs(user.id);
    fakeRequest.sid = "laptop-session";
    const expiresAt = new Date(Date.now() + 86_400_000);
    fakeRequest.expiresAt = expiresAt;
    await endSession(await sessionIdentity());
    // Twice (a double click) changes nothing.
    await endSession(await sessionIdentity());

    expect(await actorIn(user.id, "laptop-session")).toBeNull();
    expect((await actorIn(user.id, "phone-session"))?.id).toBe(user.id);
    // A cookie from before sessions had ids cannot be named, so it is not refused.
    expect((await actorIn(user.id, null))?.id).toBe(user.id);
    const [row] = await db.select().from(endedSessions).where(eq(endedSessions.sid, "laptop-session"));
    expect(row).toMatchObject({ userId: user.id, expiresAt });
  });

  it("is remembered until its cookie would have expired, then purged by the housekeeping", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id);
    await endSession({ userId: user.id, stamp: null, sid: "expired-cookie", expiresAt: new Date(Date.now() - 1000) });
    await endSession({ userId: user.id, stamp: null, sid: "live-cookie", expiresAt: new Date(Date.now() + 60_000) });
    // No expiry in the cookie: kept for the longest a cookie lives.
    await endSession({ userId: user.id, stamp: null, sid: "no-expiry", expiresAt: null });
    await housekeeping();
    const left = (await db.select({ sid: endedSessions.sid }).from(endedSessions).where(eq(endedSessions.userId, user.id))).map((r) => r.sid).sort();
    expect(left).toEqual(["live-cookie", "no-expiry"]);
    const [noExpiry] = await db.select().from(endedSessions).where(eq(endedSessions.sid, "no-expiry"));
    expect(noExpiry.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await purgeEndedSessions();
    expect(await actorIn(user.id, "live-cookie")).toBeNull();
  });

  it("a session without an id records nothing", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id);
    await endSession({ userId: user.id, stamp: null, sid: null });
    await endSession(null);
    expect(await db.select().from(endedSessions).where(eq(endedSessions.userId, user.id))).toEqual([]);
  });
});

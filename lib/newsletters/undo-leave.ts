import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions } from "@/db/schema";
import { env } from "@/lib/env";
import { holdGroups } from "./group-numbers";
import { unsubscribeGroup, type Unsubscriber } from "./unsubscribe";

/**
 * "I clicked by mistake": the unsubscribe page offers, right after leaving a group, to put that
 * subscription back as it was. The token proved the person holds the address, so a confirmed
 * subscription comes back confirmed with no new double opt-in; an unconfirmed one comes back
 * unconfirmed (its old link died when it left: a new signup sends another).
 *
 * What it was is not stored: the leave hands the page a ticket signed with AUTH_SECRET naming
 * the token, the group, the former status and the leaving time. Only that ticket undoes, only
 * that leave (the row must still be unsubscribed since that very time), only to that status,
 * only for a while, and never once the address left everything. Queued newsletters the leave
 * already stopped stay stopped (lib/queue/deliver.ts); those not reached yet go again.
 */
const UNDO_MINUTES = 60;
const UNDOABLE = ["confirmed", "unconfirmed"] as const;
type Undoable = (typeof UNDOABLE)[number];

/** Leaves `groupId` (which `who` belongs to), and returns the ticket that undoes it, or null when it had already left. */
export async function leaveGroup(who: Unsubscriber, token: string, groupId: number): Promise<string | null> {
  const was = who.subscriptions.find((s) => s.groupId === groupId)?.status;
  const at = new Date();
  await unsubscribeGroup(token, groupId, at);
  return isUndoable(was) ? `${was}.${at.getTime()}.${signature(token, groupId, was, at.getTime())}` : null;
}

/** Puts back the subscription a ticket from leaveGroup names; false when the ticket does not (or no longer) apply. */
export async function undoLeave(who: Unsubscriber, token: string, groupId: number, ticket: string): Promise<boolean> {
  const leave = readTicket(token, groupId, ticket);
  if (!leave || Date.now() - leave.at > UNDO_MINUTES * 60_000) return false;
  return db.transaction(async (tx) => {
    // The group may have been deleted since (its only members had left): held until this
    // commits, and not brought back into a group no screen shows.
    if (!(await holdGroups(who.siteId, [groupId], tx)).has(groupId)) return false;
    const back = await tx
      .update(subscriptions)
      .set({ status: leave.was, unsubscribedAt: null, updatedAt: new Date() })
      .where(
        and(
          eq(subscriptions.siteId, who.siteId),
          eq(subscriptions.email, who.email),
          eq(subscriptions.groupId, groupId),
          eq(subscriptions.status, "unsubscribed"),
          eq(subscriptions.unsubscribedAt, new Date(leave.at)),
          // Checked in the same statement: a "leave everything" since then wins.
          sql`not exists (select 1 from subscriber_keys k where k.token = ${token} and k.suppressed_at is not null)`,
        ),
      )
      .returning({ id: subscriptions.id });
    return back.length > 0;
  });
}

const isUndoable = (status: unknown): status is Undoable => (UNDOABLE as readonly unknown[]).includes(status);

function signature(token: string, groupId: number, was: Undoable, at: number) {
  return createHmac("sha256", env.AUTH_SECRET).update(`undo-leave:${token}:${groupId}:${was}:${at}`).digest("base64url");
}

function readTicket(token: string, groupId: number, ticket: string): { was: Undoable; at: number } | null {
  const [was, at, given] = ticket.split(".");
  if (!isUndoable(was) || !/^\d{1,15}$/.test(at ?? "") || !given) return null;
  const expected = Buffer.from(signature(token, groupId, was, Number(at)));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { was, at: Number(at) } : null;
}

import { and, desc, eq, or, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, users } from "@/db/schema";

/** When a send went out: queued (a scheduled one, when its time came), else made. */
const sentAt = sql<Date | string>`coalesce(${newsletterSends.queuedAt}, ${newsletterSends.createdAt})`;

/** How far back a send counts as recent: a second send within a day is rarely meant. */
const RECENT_MS = 24 * 60 * 60 * 1000;

/** A send of the template the dialog warns about: when (or for when) and by whom. */
export type RecentSend = { id: number; at: string; scheduled: boolean; by: string | null };

/**
 * The template's latest send if it was made in the last day, or is still scheduled: the send
 * dialog says so before a second one (two admins at once, or one who forgot). A cancelled send
 * reached nobody and is not one. `by`: its author's name, else address (null: account deleted).
 */
export async function recentSendOf(siteId: number, templateId: number): Promise<RecentSend | null> {
  const [send] = await db
    .select({ id: newsletterSends.id, status: newsletterSends.status, left: sentAt, scheduledAt: newsletterSends.scheduledAt, name: users.name, email: users.email })
    .from(newsletterSends)
    .leftJoin(users, eq(users.id, newsletterSends.createdBy))
    .where(
      and(
        eq(newsletterSends.siteId, siteId),
        eq(newsletterSends.templateId, templateId),
        or(eq(newsletterSends.status, "scheduled"), and(eq(newsletterSends.status, "queued"), sql`${sentAt} > ${new Date(Date.now() - RECENT_MS).toISOString()}::timestamptz`)),
      ),
    )
    .orderBy(desc(newsletterSends.id))
    .limit(1);
  if (!send) return null;
  const scheduled = send.status === "scheduled";
  const at = scheduled && send.scheduledAt ? send.scheduledAt : new Date(send.left);
  return { id: send.id, at: at.toISOString(), scheduled, by: send.name || send.email || null };
}

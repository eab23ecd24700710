import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { sites } from "@/db/schema";
import { notifyEnqueued } from "@/lib/queue/notify";
import { nextOpening, sendWindowOf, windowGate, type SendWindow } from "./sending-hours";

/** A site's SMS sending hours as they are now, or null (its SMS may leave at any time). */
export async function siteSendWindow(siteId: number): Promise<SendWindow | null> {
  const [site] = await db.select({ smsHours: sites.smsHours, timeZone: sites.timeZone, defaultCountry: sites.defaultCountry }).from(sites).where(eq(sites.id, siteId));
  return site ? sendWindowOf(site) : null;
}

/** How long a runner trusts a site's hours before reading them again. */
const REREAD_MS = 60_000;

export type HoursGate = (siteId: number, now?: Date) => Promise<Date | null>;

/**
 * A runner's view of its sites' sending hours: when the hours of `siteId` are closed, the moment
 * they open (else null). The site is read once a minute at most, and the window's state is
 * worked out once per change (windowGate), not for each SMS.
 */
export function siteHoursGate(load: (siteId: number) => Promise<SendWindow | null> = siteSendWindow): HoursGate {
  const read = new Map<number, { at: number; window: Promise<SendWindow | null> }>();
  const gate = windowGate();
  return async (siteId, now = new Date()) => {
    let entry = read.get(siteId);
    if (!entry || now.getTime() - entry.at > REREAD_MS) {
      entry = { at: now.getTime(), window: load(siteId) };
      read.set(siteId, entry);
    }
    return gate(await entry.window, now);
  };
}

/**
 * After a site's hours changed: its group SMS waiting for the old ones are due when the new ones
 * open (now, when they are open or gone), and the runners hear of those due now.
 */
export async function retimeWaitingSms(siteId: number): Promise<{ retimed: number; dueNow: number }> {
  const window = await siteSendWindow(siteId);
  const opens = window ? nextOpening(window) : null;
  const at = opens && opens.getTime() > Date.now() ? sql`${opens.toISOString()}::timestamptz` : sql`now()`;
  const result = await db.execute(sql`
    with retimed as (
      update queue q set next_attempt_at = ${at}, updated_at = now()
        from outbound_messages m
       where q.site_id = ${siteId} and q.status = 'pending' and q.next_attempt_at > now()
         and m.id = q.message_id and m.keeps_sms_hours
      returning q.next_attempt_at <= now() as due
    )
    select count(*)::int as retimed, count(*) filter (where due)::int as due_now from retimed`);
  const [r] = rows<{ retimed: number; due_now: number }>(result);
  const counts = { retimed: Number(r?.retimed ?? 0), dueNow: Number(r?.due_now ?? 0) };
  if (counts.dueNow > 0) await notifyEnqueued(siteId, { rows: counts.dueNow });
  return counts;
}

import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { sites, type Site } from "@/db/schema";
import { notifyEnqueued } from "@/lib/queue/notify";
import { nextOpening, sendWindowOf, windowGate, type SendWindow } from "./sending-hours";

type HoursColumns = Pick<Site, "smsHours" | "timeZone" | "defaultCountry">;

/** When a site's group SMS may leave, from `at` on: `at` itself when its hours are open or off. */
export function siteOpening(site: HoursColumns, at: Date = new Date()): Date {
  const window = sendWindowOf(site);
  return (window && nextOpening(window, at)) ?? at;
}

/** A site's SMS sending hours as they are now (null: no such site); `lock` holds the row until the transaction ends. */
async function readHours(tx: Pick<typeof db, "select">, siteId: number, lock = false): Promise<HoursColumns | null> {
  const query = tx.select({ smsHours: sites.smsHours, timeZone: sites.timeZone, defaultCountry: sites.defaultCountry }).from(sites).where(eq(sites.id, siteId));
  const [site] = lock ? await query.for("share") : await query;
  return site ?? null;
}

export async function siteSendWindow(siteId: number): Promise<SendWindow | null> {
  const site = await readHours(db, siteId);
  return site ? sendWindowOf(site) : null;
}

/**
 * Puts every pending group SMS of a site where its hours say: due when they next open, or now
 * when they are open or off (rows already due are left alone then). Called after the site's
 * hours are saved, and by a runner that found them closed. The site row is read `for share`:
 * a save (which updates it) and this statement cannot interleave, so the last one to run sees
 * the hours that were saved last. Returns how many rows moved, and how many are due now (the
 * runners are told).
 */
export async function retimeWaitingSms(siteId: number): Promise<{ retimed: number; dueNow: number }> {
  const counts = await db.transaction(async (tx) => {
    const site = await readHours(tx, siteId, true);
    if (!site) return { retimed: 0, dueNow: 0 };
    const opens = siteOpening(site);
    const closed = opens.getTime() > Date.now();
    const target = closed ? sql`${opens.toISOString()}::timestamptz` : sql`now()`;
    const result = await tx.execute(sql`
      with retimed as (
        update queue q set next_attempt_at = ${target}, updated_at = now()
          from outbound_messages m
         where q.site_id = ${siteId} and q.status = 'pending'
           and ${closed ? sql`q.next_attempt_at <> ${target}` : sql`q.next_attempt_at > now()`}
           and m.id = q.message_id and m.keeps_sms_hours
        returning q.next_attempt_at <= now() as due
      )
      select count(*)::int as retimed, count(*) filter (where due)::int as due_now from retimed`);
    const [r] = rows<{ retimed: number; due_now: number }>(result);
    return { retimed: Number(r?.retimed ?? 0), dueNow: Number(r?.due_now ?? 0) };
  });
  if (counts.dueNow > 0) await notifyEnqueued(siteId, { rows: counts.dueNow });
  return counts;
}

/** How long a runner trusts a site's hours before reading them again. */
const REREAD_MS = 60_000;

export type HoursGate = {
  /** When the hours of `siteId` are closed, the moment they open; else null. */
  closedUntil(siteId: number, now?: Date): Promise<Date | null>;
  /** At the end of a run: the sites whose SMS it held are retimed from their hours as they are then. */
  settle(): Promise<void>;
};

/**
 * A runner's view of its sites' sending hours. A site is read once a minute at most and its
 * window's state worked out once per change (windowGate), not for each SMS. The first time a
 * site is found closed, its hours are read again and every pending group SMS of the site is
 * moved to their opening in one statement (retimeWaitingSms): the run then claims none of them,
 * instead of claiming and giving back each row of a long send that ran past closing time. Rows
 * it had already claimed are given back one by one; `settle` retimes them afterwards, in case
 * the hours were saved while the run held them.
 */
export function siteHoursGate(options: { load?: (siteId: number) => Promise<SendWindow | null>; retime?: (siteId: number) => Promise<unknown> } = {}): HoursGate {
  const load = options.load ?? siteSendWindow;
  const retime = options.retime ?? retimeWaitingSms;
  const read = new Map<number, { at: number; window: Promise<SendWindow | null> }>();
  const held = new Map<number, Promise<unknown>>();
  const gate = windowGate();
  const windowOf = (siteId: number, now: Date, fresh = false) => {
    let entry = read.get(siteId);
    if (fresh || !entry || now.getTime() - entry.at > REREAD_MS) {
      const window = load(siteId);
      entry = { at: now.getTime(), window };
      read.set(siteId, entry);
      // A failed read is not kept: the next SMS of the site tries again.
      window.catch(() => read.get(siteId) === entry && read.delete(siteId));
    }
    return entry.window;
  };
  return {
    async closedUntil(siteId, now = new Date()) {
      if (!gate(await windowOf(siteId, now), now)) return null;
      if (!held.has(siteId)) {
        const moved = retime(siteId).catch((error) => console.warn(`[sms] site ${siteId}: could not hold its due SMS in one go`, error));
        held.set(siteId, moved.then(() => windowOf(siteId, now, true)));
      }
      await held.get(siteId);
      return gate(await windowOf(siteId, now), now);
    },
    async settle() {
      await Promise.all([...held.keys()].map((siteId) => retime(siteId).catch((error) => console.warn(`[sms] site ${siteId}: could not retime held SMS`, error))));
    },
  };
}

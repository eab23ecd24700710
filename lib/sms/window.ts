import type { SendWindow } from "@/db/schema";
import { instantOf, localParts, wallClockSpans } from "@/lib/time-zone";

/**
 * SMS sending hours as arithmetic on wall clocks, with no holiday tables: the server passes the
 * date-holidays lookup (sending-hours.ts), the browser the few dates the server sent it.
 */

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, "0");

export type WindowState = { open: true; closesAt: Date } | { open: false; opensAt: Date | null };

/** Whether a country's public holiday falls on a local day ("YYYY-MM-DD"). */
export type HolidayLookup = (country: string, day: string) => boolean;

/**
 * Whether the window is open at `at`, and until when; or when it opens next (null: never within
 * a year, which the form does not allow).
 */
export function windowStateWith(window: SendWindow, at: Date, isHoliday: HolidayLookup): WindowState {
  const from = minutes(window.from);
  // An end of 00:00 is midnight at the end of the day (forms cannot say 24:00).
  const to = minutes(window.to) || 24 * 60;
  // Whether SMS may go out on that local day: its weekday is in, and it is no holiday.
  const openDay = (d: { year: number; month: number; day: number; weekday: number }) =>
    window.days.includes(d.weekday) && !(window.skipHolidays && isHoliday(window.country, `${d.year}-${pad(d.month)}-${pad(d.day)}`));
  const today = localParts(at, window.timeZone);
  for (let i = 0; i <= 366; i++) {
    // Noon of the i-th local day from today: safe from offset changes, which happen at night.
    const noon = i === 0 ? today : localParts(new Date(instantOf(today.year, today.month, today.day, 12 * 60, window.timeZone).getTime() + i * 86_400_000), window.timeZone);
    if (!openDay(noon)) continue;
    // The hours as the wall clock shows them: a start the clocks skip opens at the end of the
    // gap (a day whose whole window is skipped stays closed), a time shown twice is closed
    // while the clock's second pass is before the start.
    for (const span of wallClockSpans(noon.year, noon.month, noon.day, from, to, window.timeZone)) {
      if (at < span.start) return { open: false, opensAt: span.start };
      if (at < span.end) return { open: true, closesAt: span.end };
    }
  }
  return { open: false, opensAt: null };
}

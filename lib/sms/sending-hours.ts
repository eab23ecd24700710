import Holidays from "date-holidays";
import type { SendWindow, SmsHours } from "@/db/schema";
import { usableTimeZone } from "@/lib/time-zone";
import { windowStateWith, type WindowState } from "./window";

export type { WindowState };

export type { SendWindow, SmsHours };

/** Countries whose public holidays are known (ISO 3166-1 alpha-2). */
export function holidaysKnown(country: string): boolean {
  return Object.hasOwn(new Holidays().getCountries(), country.toUpperCase());
}

const holidayCache = new Map<string, Set<string>>();
/** The public holidays of a country in a year, as "YYYY-MM-DD" local dates. */
export function publicHolidays(country: string, year: number): Set<string> {
  const key = `${country}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    const hd = new Holidays(country);
    set = new Set((hd.getHolidays(year) || []).filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)));
    holidayCache.set(key, set);
  }
  return set;
}

const isPublicHoliday = (country: string, day: string) => publicHolidays(country, Number(day.slice(0, 4))).has(day);

/**
 * Whether the window is open at `at`, and until when; or when it opens next (null: never within
 * a year, which the form does not allow). The country's public holidays come from date-holidays.
 */
export const windowState = (window: SendWindow, at: Date = new Date()): WindowState => windowStateWith(window, at, isPublicHoliday);

/** `at` if the window is open then, else the moment it opens. */
export function nextOpening(window: SendWindow, at: Date = new Date()): Date | null {
  const state = windowState(window, at);
  return state.open ? at : state.opensAt;
}

/** The window a site's group SMS keep, or null when they may go out at any time. */
export function sendWindowOf(site: { smsHours: SmsHours | null; timeZone: string; defaultCountry: string }): SendWindow | null {
  if (!site.smsHours?.on) return null;
  const { from, to, days, skipHolidays } = site.smsHours;
  return { from, to, days, skipHolidays, timeZone: usableTimeZone(site.timeZone), country: site.defaultCountry };
}

/**
 * When a window is closed, the moment it opens (else null), worked out again only when its last
 * state runs out (it closes or opens), not for each SMS. Kept per window object: a runner's
 * siteHoursGate hands the same one until it reads the site again.
 */
export type WindowGate = (window: SendWindow | null | undefined, now?: Date) => Date | null;

export function windowGate(): WindowGate {
  const known = new WeakMap<SendWindow, WindowState>();
  return (window: SendWindow | null | undefined, now: Date = new Date()): Date | null => {
    if (!window) return null;
    let state = known.get(window);
    const stale = !state || (state.open ? now >= state.closesAt : state.opensAt !== null && now >= state.opensAt);
    if (stale) known.set(window, (state = windowState(window, now)));
    // Closed for good (cannot happen through the form): held a day, then looked at again.
    return state!.open ? null : (state!.opensAt ?? new Date(now.getTime() + 86_400_000));
  };
}

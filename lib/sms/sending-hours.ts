import Holidays from "date-holidays";
import type { SendWindow, SmsHours } from "@/db/schema";
import { instantOf, localParts, usableTimeZone } from "@/lib/time-zone";

export type { SendWindow, SmsHours };
export { FRENCH_SMS_HOURS, HHMM } from "./sms-hours";

export { validTimeZone } from "@/lib/time-zone";

let zoneChoices: { at: number; options: { value: string; label: string }[] } | null = null;

/**
 * The zones a site may choose: every IANA zone this runtime knows, and UTC, which its list omits,
 * each with its offset now ("Europe/Paris (GMT+01:00)"). Worked out once an hour (~30 ms), as
 * offsets change twice a year.
 */
export function timeZoneChoices(): { value: string; label: string }[] {
  if (zoneChoices && Date.now() - zoneChoices.at < 3_600_000) return zoneChoices.options;
  const zones = Intl.supportedValuesOf("timeZone");
  const offset = (zone: string) =>
    new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName")?.value ?? "";
  const options = (zones.includes("UTC") ? zones : ["UTC", ...zones]).map((zone) => ({ value: zone, label: `${zone} (${offset(zone)})` }));
  zoneChoices = { at: Date.now(), options };
  return options;
}

/** Countries whose public holidays are known (ISO 3166-1 alpha-2). */
export function holidaysKnown(country: string): boolean {
  return Object.hasOwn(new Holidays().getCountries(), country.toUpperCase());
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const holidayCache = new Map<string, Set<string>>();
/** The public holidays of a country in a year, as "YYYY-MM-DD" local dates. */
function holidays(country: string, year: number): Set<string> {
  const key = `${country}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    const hd = new Holidays(country);
    set = new Set((hd.getHolidays(year) || []).filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)));
    holidayCache.set(key, set);
  }
  return set;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Whether SMS may go out at any time of that local day (its weekday is in, it is no holiday). */
function openDay(window: SendWindow, d: { year: number; month: number; day: number; weekday: number }) {
  if (!window.days.includes(d.weekday)) return false;
  return !(window.skipHolidays && holidays(window.country, d.year).has(`${d.year}-${pad(d.month)}-${pad(d.day)}`));
}

export type WindowState = { open: true; closesAt: Date } | { open: false; opensAt: Date | null };

/**
 * Whether the window is open at `at`, and until when; or when it opens next (null: never within
 * a year, which the form does not allow).
 */
export function windowState(window: SendWindow, at: Date = new Date()): WindowState {
  const from = minutes(window.from);
  // An end of 00:00 is midnight at the end of the day (forms cannot say 24:00).
  const to = minutes(window.to) || 24 * 60;
  const today = localParts(at, window.timeZone);
  for (let i = 0; i <= 366; i++) {
    // Noon of the i-th local day from today: safe from offset changes, which happen at night.
    const noon = i === 0 ? today : localParts(new Date(instantOf(today.year, today.month, today.day, 12 * 60, window.timeZone).getTime() + i * 86_400_000), window.timeZone);
    if (!openDay(window, noon)) continue;
    const opens = instantOf(noon.year, noon.month, noon.day, from, window.timeZone);
    const closes = instantOf(noon.year, noon.month, noon.day, to, window.timeZone);
    if (at < opens) return { open: false, opensAt: opens };
    if (at < closes) return { open: true, closesAt: closes };
  }
  return { open: false, opensAt: null };
}

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
 * The runner's check, once per message and window change rather than per row: rows of a message
 * whose window is closed are given back until it opens.
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

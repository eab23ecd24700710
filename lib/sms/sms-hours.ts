import type { SmsHours } from "@/db/schema";

/**
 * What the site form offers a site that has no sending hours yet: the French rule (no commercial
 * SMS from 20:00 to 08:00, on Sundays or on public holidays). Kept apart from the window
 * arithmetic (sending-hours.ts) so the form does not ship the holiday tables to the browser.
 */
export const FRENCH_SMS_HOURS: Omit<SmsHours, "on"> = { from: "08:00", to: "20:00", days: [1, 2, 3, 4, 5, 6], skipHolidays: true };

/** Whether `from`–`to` is a span within a day; an end of 00:00 means midnight at its end. */
export const hoursInOrder = (from: string, to: string) => to === "00:00" || from < to;

/** A time of day as forms send it: "HH:MM", 24-hour. */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A weekday's name in `locale` (ISO weekday: 1 = Monday). */
export const weekdayName = (locale: string, isoDay: number) =>
  // 2024-01-01 was a Monday: ISO weekday n is that date plus n - 1 days.
  new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, isoDay)));

/**
 * The days of sending hours as people say them: "Monday–Saturday", "Monday, Wednesday and
 * Friday", "Monday–Friday and Sunday" (runs of three days or more become a range).
 */
export function describeDays(days: number[], locale: string): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${weekdayName(locale, sorted[i])}–${weekdayName(locale, sorted[j])}`);
    else for (let k = i; k <= j; k++) parts.push(weekdayName(locale, sorted[k]));
    i = j + 1;
  }
  return new Intl.ListFormat(locale, { type: "conjunction" }).format(parts);
}


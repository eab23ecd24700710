import type { SmsHours } from "@/db/schema";

/**
 * What the site form offers a site that has no sending hours yet: the French rule (no commercial
 * SMS from 20:00 to 08:00, on Sundays or on public holidays). Kept apart from the window
 * arithmetic (sending-hours.ts) so the form does not ship the holiday tables to the browser.
 */
export const FRENCH_SMS_HOURS: SmsHours = { from: "08:00", to: "20:00", days: [1, 2, 3, 4, 5, 6], skipHolidays: true };

/** A time of day as forms send it: "HH:MM", 24-hour. */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

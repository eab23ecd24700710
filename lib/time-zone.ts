/** Wall clocks of IANA time zones, with Intl alone (no Temporal in Node 20). */

/** Whether this runtime knows `zone` as an IANA time zone. */
export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** `zone`, or UTC when this runtime does not know it (a value written to the database by hand). */
export const usableTimeZone = (zone: string) => (validTimeZone(zone) ? zone : "UTC");

export type LocalDay = { year: number; month: number; day: number; weekday: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", weekday: "short", hour: "numeric", minute: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall clock of `at` in `timeZone` (weekday: ISO, 1 = Monday). */
export function localParts(at: Date, timeZone: string): LocalDay {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(at).map((x) => [x.type, x.value]));
  return { year: +p.year, month: +p.month, day: +p.day, weekday: WEEKDAYS[p.weekday], minute: +p.hour * 60 + +p.minute };
}

/** How far the wall clock of `timeZone` is ahead of UTC at `t` (ms). */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(new Date(t), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, 0, p.minute) - Math.floor(t / 60_000) * 60_000;
}

/**
 * The instant at which the wall clock of `timeZone` shows this date and minute of the day (a
 * minute past 23:59 runs into the next day). Around a change of offset the rule is Temporal's
 * "compatible" one: a time shown twice is its first occurrence, a time the clocks skip (a spring
 * change, at midnight in some zones) is read with the offset before the change, which lands as
 * far after the gap as it was into it.
 */
export function instantOf(year: number, month: number, day: number, minute: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day, 0, minute);
  // No zone changes its offset twice within a day: the offsets half a day either side are the
  // only two that can apply.
  const before = offsetAt(wanted - 43_200_000, timeZone);
  const after = offsetAt(wanted + 43_200_000, timeZone);
  const fits = [wanted - before, wanted - after].filter((t) => offsetAt(t, timeZone) === wanted - t);
  return new Date(fits.length ? Math.min(...fits) : wanted - before);
}

/**
 * The instants of one local day at which the wall clock of `timeZone` reads `from` up to (not
 * including) `to` minutes of the day, as [start, end) spans in order. Unlike instantOf, times
 * the clocks skip are not shifted: a span that starts in a spring gap starts at its end (the
 * first minute the clock shows at or after `from`), and is empty when it ends there too; over
 * a time the clocks show twice, the clock's second pass through times before `from` is left
 * out (two spans). Assumes at most one change of offset within a day, as instantOf does.
 */
export function wallClockSpans(year: number, month: number, day: number, from: number, to: number, timeZone: string): { start: Date; end: Date }[] {
  const dayStart = instantOf(year, month, day, 0, timeZone).getTime();
  const dayEnd = instantOf(year, month, day, 24 * 60, timeZone).getTime();
  const first = offsetAt(dayStart, timeZone);
  const last = offsetAt(dayEnd - 60_000, timeZone);
  // The first minute on the day's last offset (offsets change on whole minutes).
  let change = dayEnd;
  if (first !== last) {
    let [lo, hi] = [dayStart, dayEnd - 60_000];
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid, timeZone) === first) lo = mid;
      else hi = mid;
    }
    change = hi;
  }
  const wall = (minute: number) => Date.UTC(year, month - 1, day, 0, minute);
  // Under each offset, the wall clock reads [from, to) during one interval, kept where that offset applies.
  const spans: { start: number; end: number }[] = [];
  for (const [offset, since, until] of [[first, dayStart, change], [last, change, dayEnd]]) {
    const start = Math.max(wall(from) - offset, since);
    const end = Math.min(wall(to) - offset, until);
    if (start >= end) continue;
    const previous = spans.at(-1);
    if (previous && previous.end === start) previous.end = end;
    else spans.push({ start, end });
  }
  return spans.map((s) => ({ start: new Date(s.start), end: new Date(s.end) }));
}

/** The first instant of a local day ("YYYY-MM-DD") in `timeZone`. */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return instantOf(y, m, d, 0, timeZone);
}

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

/** `YYYY-MM-DDTHH:mm` of `at` on the wall clock of `timeZone`, as a datetime-local input reads it. */
export function dateTimeInput(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(Math.floor(p.minute / 60))}:${pad(p.minute % 60)}`;
}

/** The instant a datetime-local value (`YYYY-MM-DDTHH:mm`) names on the wall clock of `timeZone`; Invalid Date if it is not one. */
export function fromDateTimeInput(value: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  return m ? instantOf(+m[1], +m[2], +m[3], +m[4] * 60 + +m[5], timeZone) : new Date(NaN);
}

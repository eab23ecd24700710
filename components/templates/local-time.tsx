"use client";
import { useSyncExternalStore } from "react";
import { useFormatter, useTimeZone } from "next-intl";
import { DayAndTime } from "@/components/ui/day-and-time";

const noop = () => () => {};
const readerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
/** The runtime's own name for a zone: browsers and Node disagree on aliases (Asia/Calcutta, Asia/Kolkata). */
const canonical = (zone: string) => {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
};

/**
 * A moment in the site's zone (the request's, see lib/i18n/request.ts), like every date in
 * Manage, the same on the server and in the browser. A table or page of dates names the zone
 * once (ZoneNote, DataTable's `dated`); `nameZone`, for a date in a sentence with no such note
 * near it, names it after the date when the reader's own zone is another one. `cell`: in a table
 * column, it may wrap between the day and the time only (see DayAndTime).
 */
export function LocalDateTime({ value, style = "medium", nameZone = false, cell = false }: { value: string | Date | null; style?: "medium" | "full"; nameZone?: boolean; cell?: boolean }) {
  const format = useFormatter();
  const siteZone = useTimeZone() ?? "UTC";
  const reader = useSyncExternalStore(noop, readerZone, () => null);
  if (!value) return <>—</>;
  const date = typeof value === "string" ? new Date(value) : value;
  const named = nameZone && reader && canonical(reader) !== canonical(siteZone) ? ` (${siteZone})` : "";
  const text = format.dateTime(date, { dateStyle: style, timeStyle: "short" }) + named;
  return <time dateTime={date.toISOString()}>{cell ? <DayAndTime text={text} day={format.dateTime(date, { dateStyle: style })} /> : text}</time>;
}

"use client";
import { useSyncExternalStore } from "react";
import { useFormatter, useTimeZone } from "next-intl";

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
 * A moment shown in the reader's own time zone (the one a schedule is typed in). The server
 * cannot know that zone, so it renders the UTC form and the browser replaces it once hydrated.
 * `inSiteZone`: in the site's zone instead (the request's, see lib/i18n/request.ts), the same on
 * the server and in the browser: for times that follow the site's clock, such as its SMS hours.
 * When the reader's zone is not the site's, the zone shown is named, so that two dates on one
 * page, one in each zone, cannot be misread.
 */
export function LocalDateTime({ value, style = "short", inSiteZone = false }: { value: string | Date | null; style?: "short" | "medium" | "full"; inSiteZone?: boolean }) {
  const format = useFormatter();
  const siteZone = useTimeZone() ?? "UTC";
  const reader = useSyncExternalStore(noop, readerZone, () => null);
  if (!value) return <>—</>;
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  const options = { dateStyle: style, timeStyle: "short" } as const;
  const named = (zone: string) => (reader && canonical(reader) !== canonical(siteZone) ? ` (${zone})` : "");
  if (inSiteZone) return <time dateTime={iso}>{format.dateTime(date, options) + named(siteZone)}</time>;
  return (
    <time dateTime={iso} title={reader ? iso : undefined}>
      {reader ? format.dateTime(date, { ...options, timeZone: reader }) + named(reader) : `${iso.slice(0, 16).replace("T", " ")} UTC`}
    </time>
  );
}

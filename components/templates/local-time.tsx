"use client";
import { useSyncExternalStore } from "react";
import { useFormatter } from "next-intl";

const noop = () => () => {};

/**
 * A moment shown in the reader's own time zone (the one a schedule is typed in). The server
 * cannot know that zone, so it renders the UTC form and the browser replaces it once hydrated.
 * `inSiteZone`: in the site's zone instead (the request's, see lib/i18n/request.ts), the same on
 * the server and in the browser: for times that follow the site's clock, such as its SMS hours.
 */
export function LocalDateTime({ value, style = "short", inSiteZone = false }: { value: string | Date | null; style?: "short" | "medium" | "full"; inSiteZone?: boolean }) {
  const format = useFormatter();
  const hydrated = useSyncExternalStore(noop, () => true, () => false);
  if (!value) return <>—</>;
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  const options = { dateStyle: style, timeStyle: "short" } as const;
  if (inSiteZone) return <time dateTime={iso}>{format.dateTime(date, options)}</time>;
  return (
    <time dateTime={iso} title={hydrated ? iso : undefined}>
      {hydrated ? format.dateTime(date, { ...options, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }) : `${iso.slice(0, 16).replace("T", " ")} UTC`}
    </time>
  );
}

"use client";
import { useSyncExternalStore } from "react";
import { useFormatter } from "next-intl";

const noop = () => () => {};

/**
 * A moment shown in the reader's own time zone (the one a schedule is typed in). The server
 * cannot know that zone, so it renders the UTC form and the browser replaces it once hydrated.
 */
export function LocalDateTime({ value, style = "short" }: { value: string | Date | null; style?: "short" | "medium" }) {
  const format = useFormatter();
  const hydrated = useSyncExternalStore(noop, () => true, () => false);
  if (!value) return <>—</>;
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={hydrated ? iso : undefined}>
      {hydrated ? format.dateTime(date, { dateStyle: style, timeStyle: "short" }) : `${iso.slice(0, 16).replace("T", " ")} UTC`}
    </time>
  );
}

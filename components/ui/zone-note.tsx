import { useTimeZone, useTranslations } from "next-intl";

/**
 * "Dates and times in the Europe/Paris time zone.": Manage shows every date in the site's zone
 * (the request's, see lib/i18n/request.ts), on the server and in the browser alike, and says so
 * once per table or page, since the reader's own zone may differ. A hook and a component, usable
 * from server and client components alike.
 */
export function useZoneNote() {
  const t = useTranslations("manage");
  return t("timeZoneNote", { zone: useTimeZone() ?? "UTC" });
}

export function ZoneNote({ className = "" }: { className?: string }) {
  return <p className={`text-xs text-slate-500 ${className}`}>{useZoneNote()}</p>;
}

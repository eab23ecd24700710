import { useTranslations } from "next-intl";

const styles: Record<string, string> = {
  scheduled: "bg-sky-100 text-sky-900",
  queued: "bg-brand-100 text-brand-800",
  cancelled: "bg-slate-200 text-slate-700",
};

/** A send's own status (scheduled, queued, cancelled), not its rows' statuses in the queue. */
export function SendStatusBadge({ status }: { status: string }) {
  const t = useTranslations("templates.sendStatus");
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${styles[status] ?? styles.cancelled}`}>{t(status)}</span>;
}

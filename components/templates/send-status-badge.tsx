import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";

const styles: Record<string, string> = {
  scheduled: "bg-sky-100 text-sky-900",
  queued: "bg-brand-100 text-brand-800",
  cancelled: "bg-slate-200 text-slate-700",
  completed: "bg-emerald-100 text-emerald-900",
};

/** A send's own status (scheduled, queued, cancelled; completed once its rows all have their outcome), not its rows' statuses. */
export function SendStatusBadge({ status }: { status: string }) {
  const t = useTranslations("templates.sendStatus");
  return <Badge tone={styles[status] ?? styles.cancelled}>{t(status)}</Badge>;
}

import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { QueueStatus } from "@/db/schema";

const styles: Record<QueueStatus, string> = {
  pending: "bg-amber-100 text-amber-900",
  sending: "bg-sky-100 text-sky-900",
  sent: "bg-brand-100 text-brand-800",
  error: "bg-red-100 text-red-800",
  delivered: "bg-emerald-100 text-emerald-900",
};

export function StatusBadge({ status }: { status: QueueStatus }) {
  const t = useTranslations("queue.status");
  return <Badge tone={styles[status]}>{t(status)}</Badge>;
}

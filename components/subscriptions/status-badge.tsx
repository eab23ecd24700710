import { useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import type { SubscriptionStatus } from "@/db/schema";

const styles: Record<SubscriptionStatus, string> = {
  unconfirmed: "bg-amber-100 text-amber-900",
  confirmed: "bg-emerald-100 text-emerald-900",
  unsubscribed: "bg-slate-200 text-slate-800",
};

export function SubscriptionStatusBadge({ status }: { status: SubscriptionStatus }) {
  const t = useTranslations("subscriptions.status");
  return <Badge tone={styles[status]}>{t(status)}</Badge>;
}

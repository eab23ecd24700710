import { useTranslations } from "next-intl";
import { ExportLinks, FilterButtons, FilterSelect, filterInput } from "@/components/ui/filter-controls";
import { subscriptionStatuses } from "@/db/schema";
import type { SubscriptionFilters } from "@/lib/newsletters/subscriptions";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported. */
export function SubscriptionFilterForm(props: { action: string; filters: SubscriptionFilters; exportGroupHref: string; exportFilteredHref: string | null }) {
  const t = useTranslations("subscriptions.filters");
  const ts = useTranslations("subscriptions.status");
  return (
    <form role="search" aria-label={t("label")} action={props.action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end">
      <div>
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        <input id="f-q" name="q" type="search" defaultValue={props.filters.q ?? ""} maxLength={320} autoComplete="off" placeholder={t("qPlaceholder")} className={filterInput} />
      </div>
      <FilterSelect name="status" label={t("status")} anyLabel={t("any")} value={props.filters.status} options={subscriptionStatuses.map((s) => ({ value: s, label: ts(s) }))} />
      <FilterButtons resetHref={props.action} apply={t("apply")} reset={t("reset")} />
      <ExportLinks
        className="sm:col-span-3"
        all={{ href: props.exportGroupHref, label: t("exportGroup") }}
        filtered={props.exportFilteredHref ? { href: props.exportFilteredHref, label: t("exportFiltered") } : null}
      />
    </form>
  );
}

import { useTranslations } from "next-intl";
import { FilterButtons, FilterSelect, filterInput } from "@/components/ui/filter-controls";
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
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm sm:col-span-3">
        <a href={props.exportGroupHref} className="text-brand-700 underline" download>{t("exportGroup")}</a>
        {props.exportFilteredHref && <a href={props.exportFilteredHref} className="text-brand-700 underline" download>{t("exportFiltered")}</a>}
      </div>
    </form>
  );
}

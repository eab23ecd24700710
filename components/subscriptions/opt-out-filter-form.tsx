import { useTranslations } from "next-intl";
import { FilterButtons, FilterSelect, filterInput } from "@/components/ui/filter-controls";
import { smsOptOutSources, type SmsOptOutSource } from "@/db/schema";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported. */
export function OptOutFilterForm(props: { action: string; q: string; source?: SmsOptOutSource; exportAllHref: string; exportFilteredHref: string | null }) {
  const t = useTranslations("subscriptions.optOuts.filters");
  const tsrc = useTranslations("subscriptions.optOuts.source");
  return (
    <form role="search" aria-label={t("label")} action={props.action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end">
      <div>
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        {/* What was typed stays as typed ("06 12"), even when the list reads it as "+33612". */}
        <input id="f-q" name="q" type="search" inputMode="tel" defaultValue={props.q} maxLength={40} autoComplete="off" placeholder={t("qPlaceholder")} className={filterInput} />
      </div>
      <FilterSelect name="source" label={t("source")} anyLabel={t("any")} value={props.source} options={smsOptOutSources.map((s) => ({ value: s, label: tsrc(s) }))} />
      <FilterButtons resetHref={props.action} apply={t("apply")} reset={t("reset")} />
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm sm:col-span-3">
        <a href={props.exportAllHref} className="text-brand-700 underline" download>{t("exportAll")}</a>
        {props.exportFilteredHref && <a href={props.exportFilteredHref} className="text-brand-700 underline" download>{t("exportFiltered")}</a>}
      </div>
    </form>
  );
}

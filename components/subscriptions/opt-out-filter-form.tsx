import { useTranslations } from "next-intl";
import { ExportLinks, FilterButtons, FilterSelect, NumberFilterField } from "@/components/ui/filter-controls";
import { smsOptOutSources, type SmsOptOutSource } from "@/db/schema";
import type { PhoneExamples } from "@/lib/sms/phone-examples";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported. `phone`: the site's country's numbers, in which the search reads. */
export function OptOutFilterForm(props: { action: string; q: string; source?: SmsOptOutSource; phone: PhoneExamples; exportAllHref: string; exportFilteredHref: string | null }) {
  const t = useTranslations("subscriptions.optOuts.filters");
  const tsrc = useTranslations("subscriptions.optOuts.source");
  return (
    <form role="search" aria-label={t("label")} action={props.action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end">
      <NumberFilterField label={t("q")} placeholder={t("qPlaceholder", { internationalStart: props.phone.internationalStart, nationalStart: props.phone.nationalStart })} value={props.q} />
      <FilterSelect name="source" label={t("source")} anyLabel={t("any")} value={props.source} options={smsOptOutSources.map((s) => ({ value: s, label: tsrc(s) }))} />
      <FilterButtons resetHref={props.action} apply={t("apply")} reset={t("reset")} />
      <ExportLinks
        className="sm:col-span-3"
        all={{ href: props.exportAllHref, label: t("exportAll") }}
        filtered={props.exportFilteredHref ? { href: props.exportFilteredHref, label: t("exportFiltered") } : null}
      />
    </form>
  );
}

import { useTranslations } from "next-intl";
import { FilterButtons, FilterSelect, filterInput } from "@/components/ui/filter-controls";
import { templateChannels, type MessageTemplate } from "@/db/schema";

/** A plain GET form: the filters live in the URL, so a filtered list can be bookmarked. */
export function TemplateFilterForm(props: { action: string; q: string; channel?: MessageTemplate["channel"] }) {
  const t = useTranslations("templates.filters");
  return (
    <form role="search" aria-label={t("label")} action={props.action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end">
      <div>
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        <input id="f-q" name="q" type="search" defaultValue={props.q} maxLength={200} autoComplete="off" placeholder={t("qPlaceholder")} className={filterInput} />
      </div>
      <FilterSelect name="channel" label={t("channel")} anyLabel={t("any")} value={props.channel} options={templateChannels.map((c) => ({ value: c, label: t(c) }))} />
      <FilterButtons resetHref={props.action} apply={t("apply")} reset={t("reset")} />
    </form>
  );
}

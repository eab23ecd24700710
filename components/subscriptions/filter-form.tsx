import { useTranslations } from "next-intl";
import { ExportLinks, FilterButtons, FilterSelect, filterInput } from "@/components/ui/filter-controls";
import { subscriptionStatuses } from "@/db/schema";
import { locales, type Locale } from "@/lib/i18n/config";
import type { SubscriptionFilters } from "@/lib/newsletters/subscriptions/filters";
import type { PhoneExamples } from "@/lib/sms/phone-examples";

/**
 * A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported.
 * The site's language says it also finds the subscribers who never stated one (they read it);
 * `phone`, how the site's country writes a number, which a search reads in it.
 */
export function SubscriptionFilterForm(props: { action: string; filters: SubscriptionFilters; siteLanguage: Locale; phone: PhoneExamples; exportGroupHref: string; exportFilteredHref: string | null }) {
  const t = useTranslations("subscriptions.filters");
  const ts = useTranslations("subscriptions.status");
  const tl = useTranslations("layout.languageLabel");
  const languages = locales.map((l) => ({ value: l, label: l === props.siteLanguage ? t("langDefault", { language: tl(l) }) : tl(l) }));
  return (
    <form
      role="search"
      aria-label={t("label")}
      action={props.action}
      className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] lg:items-end"
    >
      <div className="sm:col-span-2 lg:col-span-1">
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        <input id="f-q" name="q" type="search" defaultValue={props.filters.q ?? ""} maxLength={320} autoComplete="off" placeholder={t("qPlaceholder", { nationalStart: props.phone.nationalStart })} className={filterInput} />
      </div>
      <FilterSelect name="status" label={t("status")} anyLabel={t("any")} value={props.filters.status} options={subscriptionStatuses.map((s) => ({ value: s, label: ts(s) }))} />
      <FilterSelect name="lang" label={t("lang")} anyLabel={t("langAny")} value={props.filters.lang} options={languages} />
      <FilterButtons resetHref={props.action} apply={t("apply")} reset={t("reset")} className="sm:col-span-2 lg:col-span-1" />
      <ExportLinks
        className="sm:col-span-2 lg:col-span-4"
        all={{ href: props.exportGroupHref, label: t("exportGroup") }}
        filtered={props.exportFilteredHref ? { href: props.exportFilteredHref, label: t("exportFiltered") } : null}
      />
    </form>
  );
}

import { useLocale, useTranslations } from "next-intl";
import { FilterButtons, FilterSelect, filterInput } from "@/components/ui/filter-controls";
import { roles } from "@/db/schema";
import { userStatuses, type UserFilters } from "@/lib/users/list";
import { csvExportHref } from "@/lib/csv";

/**
 * A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported.
 * `sites` is given to superusers only (the site choice; everyone else sees their own site).
 */
export function UserFilterForm(props: { action: string; filters: UserFilters; sites: { id: number; domain: string }[] | null; currentSiteId: number; exportHref: string }) {
  const t = useTranslations("users.filters");
  const tu = useTranslations("users");
  const locale = useLocale();
  const { filters } = props;
  // One column per control shown: without the site choice (an admin) the buttons follow the
  // status directly, with no empty column where the site would be.
  const columns = props.sites ? "lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto]" : "lg:grid-cols-[minmax(0,2fr)_repeat(2,minmax(0,1fr))_auto]";
  return (
    <form role="search" aria-label={t("label")} action={props.action} className={`mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 ${columns} lg:items-end`}>
      <div>
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        <input id="f-q" name="q" type="search" defaultValue={filters.q ?? ""} maxLength={200} autoComplete="off" placeholder={t("qPlaceholder")} className={filterInput} />
      </div>
      <FilterSelect name="role" label={t("role")} anyLabel={t("any")} value={filters.role} options={roles.map((r) => ({ value: r, label: tu(`roles.${r}`) }))} />
      <FilterSelect name="status" label={t("status")} anyLabel={t("any")} value={filters.status} options={userStatuses.map((s) => ({ value: s, label: tu(s) }))} />
      {props.sites && (
        // The first choice is the site the superuser is on (sent as nothing), then every site.
        <FilterSelect
          name="site"
          label={t("site")}
          anyLabel={props.sites.find((s) => s.id === props.currentSiteId)?.domain ?? t("site")}
          value={filters.site === props.currentSiteId ? undefined : filters.site}
          extra={<option value="all">{t("allSites")}</option>}
          options={props.sites.filter((s) => s.id !== props.currentSiteId).map((s) => ({ value: s.id, label: s.domain }))}
        />
      )}
      <FilterButtons resetHref={props.action} apply={t("apply")} reset={t("reset")} />
      <div className="text-sm sm:col-span-2 lg:col-span-full">
        <a href={csvExportHref(props.exportHref, locale)} className="text-brand-700 underline" download>{t("export")}</a>
      </div>
    </form>
  );
}

import Link from "next/link";
import { useTranslations } from "next-intl";
import { roles } from "@/db/schema";
import { userStatuses, type UserFilters } from "@/lib/users/list";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

/**
 * A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported.
 * `sites` is given to superusers only (the site choice; everyone else sees their own site).
 */
export function UserFilterForm(props: { action: string; filters: UserFilters; sites: { id: number; domain: string }[] | null; currentSiteId: number; exportHref: string }) {
  const t = useTranslations("users.filters");
  const tu = useTranslations("users");
  const { filters } = props;
  return (
    <form role="search" aria-label={t("label")} action={props.action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto] lg:items-end">
      <div>
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        <input id="f-q" name="q" type="search" defaultValue={filters.q ?? ""} maxLength={200} autoComplete="off" placeholder={t("qPlaceholder")} className={input} />
      </div>
      <div>
        <label htmlFor="f-role" className="block text-sm font-medium">{t("role")}</label>
        <select id="f-role" name="role" defaultValue={filters.role ?? ""} className={input}>
          <option value="">{t("any")}</option>
          {roles.map((r) => (
            <option key={r} value={r}>{tu(`roles.${r}`)}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-status" className="block text-sm font-medium">{t("status")}</label>
        <select id="f-status" name="status" defaultValue={filters.status ?? ""} className={input}>
          <option value="">{t("any")}</option>
          {userStatuses.map((s) => (
            <option key={s} value={s}>{tu(s)}</option>
          ))}
        </select>
      </div>
      {props.sites ? (
        <div>
          <label htmlFor="f-site" className="block text-sm font-medium">{t("site")}</label>
          <select id="f-site" name="site" defaultValue={String(filters.site ?? props.currentSiteId)} className={input}>
            <option value="all">{t("allSites")}</option>
            {props.sites.map((s) => (
              <option key={s.id} value={s.id}>{s.domain}</option>
            ))}
          </select>
        </div>
      ) : (
        <div aria-hidden="true" className="hidden lg:block" />
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">{t("apply")}</button>
        <Link href={props.action} className="text-sm text-brand-700 underline">{t("reset")}</Link>
      </div>
      <div className="text-sm sm:col-span-2 lg:col-span-5">
        <a href={props.exportHref} className="text-brand-700 underline" download>{t("export")}</a>
      </div>
    </form>
  );
}

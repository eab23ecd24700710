import Link from "next/link";
import { useTranslations } from "next-intl";
import { channels, queueStatuses } from "@/db/schema";
import type { QueueFilters } from "@/lib/queue/filters";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or shared. */
export function FilterForm({ action, filters, sites, exportHref }: { action: string; filters: QueueFilters; sites: { id: number; domain: string }[] | null; exportHref: string }) {
  const t = useTranslations("queue.filters");
  const ts = useTranslations("queue.status");
  const tc = useTranslations("queue.channel");
  return (
    <form role="search" aria-label={t("label")} action={action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4">
      <div>
        <label htmlFor="f-status" className="block text-sm font-medium">{t("status")}</label>
        <select id="f-status" name="status" defaultValue={filters.status ?? ""} className={input}>
          <option value="">{t("any")}</option>
          {queueStatuses.map((s) => (
            <option key={s} value={s}>{ts(s)}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-channel" className="block text-sm font-medium">{t("channel")}</label>
        <select id="f-channel" name="channel" defaultValue={filters.channel ?? ""} className={input}>
          <option value="">{t("any")}</option>
          {channels.map((c) => (
            <option key={c} value={c}>{tc(c)}</option>
          ))}
        </select>
      </div>
      {sites && (
        <div>
          <label htmlFor="f-site" className="block text-sm font-medium">{t("site")}</label>
          <select id="f-site" name="site" defaultValue={filters.site === undefined ? "" : String(filters.site)} className={input}>
            <option value="">{t("currentSite")}</option>
            <option value="all">{t("allSites")}</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>{s.domain}</option>
            ))}
          </select>
        </div>
      )}
      <div>
        <label htmlFor="f-recipient" className="block text-sm font-medium">{t("recipient")}</label>
        <input id="f-recipient" name="recipient" defaultValue={filters.recipient ?? ""} maxLength={320} autoComplete="off" placeholder={t("recipientPlaceholder")} className={input} />
      </div>
      <div>
        <label htmlFor="f-subject" className="block text-sm font-medium">{t("subject")}</label>
        <input id="f-subject" name="subject" defaultValue={filters.subject ?? ""} maxLength={200} autoComplete="off" className={input} />
      </div>
      <div>
        <label htmlFor="f-from" className="block text-sm font-medium">{t("from")}</label>
        <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ""} aria-describedby="f-dates-hint" className={input} />
      </div>
      <div>
        <label htmlFor="f-to" className="block text-sm font-medium">{t("to")}</label>
        <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ""} aria-describedby="f-dates-hint" className={input} />
      </div>
      <p id="f-dates-hint" className="text-xs text-slate-500 sm:col-span-2 lg:col-span-4">{t("datesHint")}</p>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">{t("apply")}</button>
        <Link href={action} className="text-sm text-brand-700 underline">{t("reset")}</Link>
        <a href={exportHref} className="ml-auto text-sm text-brand-700 underline" download>{t("export")}</a>
      </div>
    </form>
  );
}

import Link from "next/link";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { FilterSelect, filterInput } from "@/components/ui/filter-controls";
import { channels, queueStatuses } from "@/db/schema";
import type { QueueFilters } from "@/lib/queue/filters";
import { csvExportHref } from "@/lib/csv";
import type { PhoneExamples } from "@/lib/sms/phone-examples";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or shared. */
export function FilterForm({ action, filters, sites, exportHref, phone }: { action: string; filters: QueueFilters; sites: { id: number; domain: string }[] | null; exportHref: string; phone: PhoneExamples }) {
  const t = useTranslations("queue.filters");
  const timeZone = useTimeZone() ?? "UTC";
  const locale = useLocale();
  const ts = useTranslations("queue.status");
  const tc = useTranslations("queue.channel");
  return (
    <form role="search" aria-label={t("label")} action={action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-4">
      {/* Not a field of its own (a send's report links here): kept while the others change. */}
      {filters.message !== undefined && <input type="hidden" name="message" value={filters.message} />}
      <FilterSelect name="status" label={t("status")} anyLabel={t("any")} value={filters.status} options={queueStatuses.map((s) => ({ value: s, label: ts(s) }))} />
      <FilterSelect name="channel" label={t("channel")} anyLabel={t("any")} value={filters.channel} options={channels.map((c) => ({ value: c, label: tc(c) }))} />
      {sites && (
        <FilterSelect
          name="site"
          label={t("site")}
          anyLabel={t("currentSite")}
          value={filters.site}
          extra={<option value="all">{t("allSites")}</option>}
          options={sites.map((s) => ({ value: s.id, label: s.domain }))}
        />
      )}
      <div>
        <label htmlFor="f-recipient" className="block text-sm font-medium">{t("recipient")}</label>
        <input id="f-recipient" name="recipient" defaultValue={filters.recipient ?? ""} maxLength={320} autoComplete="off" placeholder={t("recipientPlaceholder", { nationalStart: phone.nationalStart })} className={filterInput} />
      </div>
      <div>
        <label htmlFor="f-subject" className="block text-sm font-medium">{t("subject")}</label>
        <input id="f-subject" name="subject" defaultValue={filters.subject ?? ""} maxLength={200} autoComplete="off" className={filterInput} />
      </div>
      <div>
        <label htmlFor="f-from" className="block text-sm font-medium">{t("from")}</label>
        <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ""} aria-describedby="f-dates-hint" className={filterInput} />
      </div>
      <div>
        <label htmlFor="f-to" className="block text-sm font-medium">{t("to")}</label>
        <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ""} aria-describedby="f-dates-hint" className={filterInput} />
      </div>
      <p id="f-dates-hint" className="text-xs text-slate-500 sm:col-span-2 lg:col-span-4">{t("datesHint", { zone: timeZone })}</p>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">{t("apply")}</button>
        <Link href={action} className="text-sm text-brand-700 underline">{t("reset")}</Link>
        <a href={csvExportHref(exportHref, locale)} className="ml-auto text-sm text-brand-700 underline" download>{t("export")}</a>
      </div>
    </form>
  );
}

import Link from "next/link";
import { useTranslations } from "next-intl";
import { smsOptOutSources, type SmsOptOutSource } from "@/db/schema";

const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked or exported. */
export function OptOutFilterForm(props: { action: string; q: string; source?: SmsOptOutSource; exportAllHref: string; exportFilteredHref: string | null }) {
  const t = useTranslations("subscriptions.optOuts.filters");
  const tsrc = useTranslations("subscriptions.optOuts.source");
  return (
    <form role="search" aria-label={t("label")} action={props.action} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-end">
      <div>
        <label htmlFor="f-q" className="block text-sm font-medium">{t("q")}</label>
        {/* What was typed stays as typed ("06 12"), even when the list reads it as "+33612". */}
        <input id="f-q" name="q" type="search" inputMode="tel" defaultValue={props.q} maxLength={40} autoComplete="off" placeholder={t("qPlaceholder")} className={input} />
      </div>
      <div>
        <label htmlFor="f-source" className="block text-sm font-medium">{t("source")}</label>
        <select id="f-source" name="source" defaultValue={props.source ?? ""} className={input}>
          <option value="">{t("any")}</option>
          {smsOptOutSources.map((s) => (
            <option key={s} value={s}>{tsrc(s)}</option>
          ))}
        </select>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">{t("apply")}</button>
        <Link href={props.action} className="text-sm text-brand-700 underline">{t("reset")}</Link>
      </div>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm sm:col-span-3">
        <a href={props.exportAllHref} className="text-brand-700 underline" download>{t("exportAll")}</a>
        {props.exportFilteredHref && <a href={props.exportFilteredHref} className="text-brand-700 underline" download>{t("exportFiltered")}</a>}
      </div>
    </form>
  );
}

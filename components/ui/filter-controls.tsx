import Link from "next/link";
import type { ReactNode } from "react";
import { useLocale } from "next-intl";
import { csvExportHref } from "@/lib/csv";

/** The look of every filter input and select. */
export const filterInput = "mt-1 block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm placeholder:text-slate-600";

/** A labelled filter select whose first choice ("any") sends nothing; `id` is `f-<name>`. */
export function FilterSelect(props: { name: string; label: string; anyLabel: string; value?: string | number; options: readonly { value: string | number; label: string }[]; extra?: ReactNode }) {
  const id = `f-${props.name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">{props.label}</label>
      <select id={id} name={props.name} defaultValue={props.value === undefined ? "" : String(props.value)} className={filterInput}>
        <option value="">{props.anyLabel}</option>
        {props.extra}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

/** "Filter" and "Clear filters" (a link to the unfiltered list), side by side. */
export function FilterButtons({ resetHref, apply, reset, className = "" }: { resetHref: string; apply: string; reset: string; className?: string }) {
  return (
    <div className={`flex flex-wrap items-center gap-3 ${className}`}>
      <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">{apply}</button>
      <Link href={resetHref} className="text-sm text-brand-700 underline">{reset}</Link>
    </div>
  );
}

/**
 * The start of a phone number, kept as typed ("06 12") while the list reads it in the site's
 * country ("+33612"); `id` is `f-q`, its name `q`.
 */
export function NumberFilterField({ label, placeholder, value }: { label: string; placeholder: string; value: string }) {
  return (
    <div>
      <label htmlFor="f-q" className="block text-sm font-medium">{label}</label>
      <input id="f-q" name="q" type="search" inputMode="tel" defaultValue={value} maxLength={40} autoComplete="off" placeholder={placeholder} className={filterInput} />
    </div>
  );
}

/** "Export all" and, when a filter applies, "Export these results": CSV downloads under a filter form. */
export function ExportLinks({ all, filtered, className = "" }: { all: { href: string; label: string }; filtered?: { href: string; label: string } | null; className?: string }) {
  const locale = useLocale();
  return (
    <div className={`flex flex-wrap gap-x-4 gap-y-1 text-sm ${className}`}>
      <a href={csvExportHref(all.href, locale)} className="text-brand-700 underline" download>{all.label}</a>
      {filtered && <a href={csvExportHref(filtered.href, locale)} className="text-brand-700 underline" download>{filtered.label}</a>}
    </div>
  );
}

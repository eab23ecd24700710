"use client";
import { useEffect, useMemo } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/ui/data-table";
import type { ImportReport } from "@/lib/newsletters/import/run";
import { problemsText } from "@/lib/newsletters/import/problem-words";

export type Report = ImportReport & { csv: string | null };

/** What the import did, and the refused rows by line (also as a CSV file to download). */
export function ImportReportView({ report, groupHref, onRestart }: { report: Report; groupHref: string; onRestart: () => void }) {
  const t = useTranslations("subscriptions.import");
  const href = useMemo(() => (report.csv ? URL.createObjectURL(new Blob([report.csv], { type: "text/csv;charset=utf-8" })) : null), [report.csv]);
  useEffect(() => () => void (href && URL.revokeObjectURL(href)), [href]);
  const cell = "px-3 py-2";
  return (
    <>
      <div role="status" className="rounded-lg bg-white p-4 shadow-sm">
        <ul className="space-y-1 text-sm">
          <li>{t("done.added", { count: report.added })}</li>
          {report.confirmed > 0 && <li>{t("done.confirmed", { count: report.confirmed })}</li>}
          {report.already > 0 && <li>{t("done.already", { count: report.already })}</li>}
          {report.merged > 0 && <li>{t("done.merged", { count: report.merged })}</li>}
          {report.phones > 0 && <li>{t("done.phones", { count: report.phones })}</li>}
          <li className={report.refused.length ? "font-medium text-red-800" : ""}>{t("done.refused", { count: report.refused.length })}</li>
        </ul>
      </div>
      {report.refused.length > 0 && (
        <>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h3 className="font-semibold">{t("refusedTitle")}</h3>
            {href && <a href={href} download="import-refused-rows.csv" className="text-sm text-brand-700 underline">{t("downloadReport")}</a>}
          </div>
          <DataTable caption={t("refusedTitle")} columns={[{ label: t("line"), className: "text-right" }, { label: t("report.email") }, { label: t("report.problem") }]}>
            {report.refused.map((r) => (
              <tr key={r.line} className="border-t border-slate-100 align-top">
                <td className={`${cell} text-right tabular-nums`}>{r.line}</td>
                <td className={`${cell} max-w-[18rem] wrap-anywhere`}>{r.email || <span className="text-slate-400">{t("empty")}</span>}</td>
                <td className={cell}>{problemsText([r.reason, ...r.otherProblems], (p) => t(`problem.${p}`, { phone: r.typedPhone, language: r.typedLanguage }))}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      <div className="flex flex-wrap gap-4 text-sm">
        <Link href={groupHref} className="text-brand-700 underline">{t("toGroup")}</Link>
        <button type="button" onClick={onRestart} className="text-brand-700 underline">{t("another")}</button>
      </div>
    </>
  );
}

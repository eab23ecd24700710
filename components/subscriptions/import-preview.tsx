"use client";
import { useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { DataTable } from "@/components/ui/data-table";
import type { ImportPreview, PreviewRow } from "@/lib/newsletters/import/preview";
import type { Locale } from "@/lib/i18n/config";
import { problemsText } from "@/lib/newsletters/import/problem-words";

/** The parsed rows, what each would become, and the button that imports the good ones. */
export function ImportPreviewView(props: { preview: ImportPreview; status: "confirmed" | "unconfirmed"; language: Locale; busy: boolean; onBack: () => void; onImport: () => void }) {
  const { preview, status, busy, onBack, onImport } = props;
  const t = useTranslations("subscriptions.import");
  const ts = useTranslations("subscriptions.status");
  const tl = useTranslations("layout.languageLabel");
  const ln = useTranslations("layout.languageName");
  const format = useFormatter();
  const [onlyRefused, setOnlyRefused] = useState(false);
  const c = preview.counts;
  const importable = c.added + c.confirmed + c.already;
  const refusedCount = c.problems + c.unsubscribed + c.suppressed + c.erased + c.erasedPhone;
  const rows = onlyRefused ? preview.rows.filter((r) => r.refused) : preview.rows;
  const cell = "px-3 py-2";
  const phones = preview.columns.phone !== null;
  const languages = preview.columns.language !== null;
  const result = (r: PreviewRow) =>
    r.problem
      ? problemsText([r.problem, ...r.otherProblems], (p) => t(`problem.${p}`, { line: r.duplicateOf ?? 0, phone: r.typedPhone, language: r.typedLanguage }))
      : `${t(`outcome.${r.outcome}`)}${r.newPhone ? ` · ${t("outcome.newPhone")}` : ""}`;
  return (
    <>
      <div className="grid gap-4 rounded-lg bg-white p-4 shadow-sm md:grid-cols-2">
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-600">{t("delimiterLabel")}</dt>
          <dd>{t(`delimiter.${preview.delimiter}`)}</dd>
          <dt className="text-slate-600">{t("headerRow")}</dt>
          <dd>{preview.columns.header ? t("yes") : t("no")}</dd>
          <dt className="text-slate-600">{t("emailColumn")}</dt>
          <dd>{preview.columns.labels.email ?? "—"}</dd>
          <dt className="text-slate-600">{t("nameColumn")}</dt>
          <dd>{preview.columns.labels.name ?? t("noName")}</dd>
          <dt className="text-slate-600">{t("phoneColumn")}</dt>
          <dd>{preview.columns.labels.phone ?? t("noPhone")}</dd>
          <dt className="text-slate-600">{t("languageColumn")}</dt>
          <dd>{preview.columns.labels.language ?? t("noLanguage", { language: ln(props.language) })}</dd>
          <dt className="text-slate-600">{t("statusColumn")}</dt>
          <dd>{preview.columns.labels.status === null ? t("noStatus") : `${preview.columns.labels.status} (${t("statusColumnHint")})`}</dd>
        </dl>
        <ul className="space-y-1 text-sm" aria-label={t("summary")}>
          <li>{t("count.total", { count: preview.total })}</li>
          <li className="text-emerald-800">{t("count.added", { count: c.added, status: ts(status) })}</li>
          {c.confirmed > 0 && <li className="text-emerald-800">{t("count.confirmed", { count: c.confirmed })}</li>}
          {/* Not "left as they are" when the file gives some of them a new number. */}
          {c.already > 0 && <li>{t(preview.phones > 0 ? "count.alreadyStatus" : "count.already", { count: c.already })}</li>}
          {preview.phones > 0 && <li className="text-emerald-800">{t("count.phones", { count: preview.phones })}</li>}
          {c.merged > 0 && <li>{t("count.merged", { count: c.merged })}</li>}
          <li className={refusedCount ? "font-medium text-red-800" : ""}>{t("count.refused", { count: refusedCount })}</li>
        </ul>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={onlyRefused} onChange={(e) => setOnlyRefused(e.target.checked)} className="h-4 w-4" />
          {t("onlyRefused")}
        </label>
        <div className="flex flex-wrap gap-2">
          <button type="button" onClick={onBack} disabled={busy} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">{t("back")}</button>
          <button type="button" onClick={onImport} disabled={busy || importable === 0} aria-busy={busy} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
            {busy ? t("importing") : t("import", { count: importable })}
          </button>
        </div>
      </div>
      <DataTable
        caption={t("previewCaption")}
        // Columns by the table's own width (DataTable's container), as every Manage table: where the
        // box is narrow, the name, number, language and status are lines under the address.
        columns={[
          { label: t("line"), className: "text-right" },
          { label: t("report.email") },
          { label: t("report.name"), className: "hidden @xl:table-cell" },
          ...(phones ? [{ label: t("phone"), className: "hidden @xl:table-cell" }] : []),
          ...(languages ? [{ label: t("report.language"), className: "hidden @2xl:table-cell" }] : []),
          { label: t("importAs"), className: "hidden @4xl:table-cell" },
          { label: t("result") },
        ]}
      >
        {rows.map((r) => {
          const phone = r.shownPhone ?? r.phone;
          // An empty cell takes the import's language: shown apart from one the file gives.
          const language = r.locale ? tl(r.locale) : r.typedLanguage || <span className="text-slate-500 italic">{tl(props.language)}</span>;
          // A merged duplicate is imported through the row it was merged into, not on its own.
          const importAs = r.outcome === null || r.refused ? null : ts(status);
          return (
            <tr key={r.line} className={`border-t border-slate-100 align-top ${r.refused ? "bg-red-50" : ""}`}>
              <td className={`${cell} text-right tabular-nums`}>{r.line}</td>
              <td className={`${cell} max-w-[18rem] wrap-anywhere`}>
                {r.email || <span className="text-slate-400">{t("empty")}</span>}
                {r.name && <span className="block text-slate-700 @xl:hidden">{r.name}</span>}
                {phones && phone && <span className="block text-slate-700 @xl:hidden">{phone}</span>}
                {languages && <span className="block text-xs text-slate-600 @2xl:hidden">{t("languageLine")} {language}</span>}
                {importAs && <span className="block text-xs text-slate-600 @4xl:hidden">{t("importAsLine")} {importAs}</span>}
              </td>
              <td className={`${cell} hidden max-w-[14rem] break-words @xl:table-cell`}>{r.name}</td>
              {phones && <td className={`${cell} hidden max-w-[12rem] break-words @xl:table-cell`}>{phone}</td>}
              {languages && <td className={`${cell} hidden max-w-[10rem] break-words @2xl:table-cell`}>{language}</td>}
              <td className={`${cell} hidden @4xl:table-cell`}>{importAs ?? "—"}</td>
              <td className={`${cell} ${r.refused ? "font-medium text-red-800" : ""}`}>{result(r)}</td>
            </tr>
          );
        })}
      </DataTable>
      {preview.hidden > 0 && <p className="text-sm text-slate-600">{t("hidden", { count: preview.hidden, shown: format.number(preview.rows.length) })}</p>}
    </>
  );
}

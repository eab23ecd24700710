"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import type { PreviewError, PreviewResult } from "./use-preview";

/**
 * The rendered message: From, To and Subject, then the HTML in an iframe with an empty sandbox
 * (no scripts, no same-origin, no forms, no navigation of this page) or the text part.
 */
export function LivePreview({ result, error, loading }: { result: PreviewResult | null; error: PreviewError; loading: boolean }) {
  const t = useTranslations("templates.preview");
  const [tab, setTab] = useState<"html" | "text">("html");
  const tabClass = (on: boolean) => `rounded-md px-3 py-1 text-sm font-medium ${on ? "bg-brand-700 text-white" : "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex gap-2" role="group" aria-label={t("part")}>
          <button type="button" aria-pressed={tab === "html"} onClick={() => setTab("html")} className={tabClass(tab === "html")}>{t("html")}</button>
          <button type="button" aria-pressed={tab === "text"} onClick={() => setTab("text")} className={tabClass(tab === "text")}>{t("text")}</button>
        </div>
        <span className="text-xs text-slate-500" aria-live="polite">{loading ? t("updating") : ""}</span>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{t(error === "subscriberNotFound" ? "subscriberNotFound" : "failed")}</p>
      )}
      {result && (
        <>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="font-medium text-slate-600">{t("from")}</dt>
            <dd className="min-w-0 break-words">{result.from.name ? `${result.from.name} <${result.from.address}>` : result.from.address}</dd>
            <dt className="font-medium text-slate-600">{t("to")}</dt>
            <dd className="min-w-0 break-words">{result.recipient.name ? `${result.recipient.name} <${result.recipient.email}>` : result.recipient.email}</dd>
            <dt className="font-medium text-slate-600">{t("subject")}</dt>
            <dd className="min-w-0 break-words font-medium">{result.subject || <span className="text-slate-500">{t("noSubject")}</span>}</dd>
          </dl>
          {tab === "html" ? (
            result.html.trim() ? (
              <iframe sandbox="" srcDoc={result.html} title={t("frame")} referrerPolicy="no-referrer" className="h-[28rem] w-full rounded-md border border-slate-200 bg-white" />
            ) : (
              <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">{t("noHtml")}</p>
            )
          ) : (
            <pre className="h-[28rem] overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-white p-3 text-sm">{result.text || t("noText")}</pre>
          )}
        </>
      )}
    </div>
  );
}

"use client";
import { useEffect, useRef, useState, useTransition } from "react";
import { useLocale, useTranslations } from "next-intl";
import { ImportPreviewView } from "@/components/subscriptions/import-preview";
import { ImportReportView, type Report } from "@/components/subscriptions/import-report";
import type { Msg } from "@/lib/actions/errors";
import type { DelimiterName } from "@/lib/newsletters/import/parse-csv";
import type { ImportPreview } from "@/lib/newsletters/import/preview";
import { csvFitsImport } from "@/lib/newsletters/import-limits";
import { csvFileText } from "@/lib/newsletters/csv-file-text";
import { locales, type Locale } from "@/lib/i18n/config";
import { previewImportAction, runImportAction } from "./actions";

type Status = "confirmed" | "unconfirmed";
type Failure = { error: Msg; fieldErrors?: Record<string, Msg> };
const delimiters: DelimiterName[] = ["auto", "semicolon", "comma", "tab"];

/** Spreadsheets save CSV as UTF-8, UTF-16 or, on Windows, Windows-1252: read whichever it is. */
const readText = async (file: File) => csvFileText(await file.arrayBuffer());

/**
 * Import in three steps: the file (or pasted text) and options, the preview, the report. The
 * text stays in this component until the import is done, so going back loses nothing.
 * `country`: the site's, named in the screen's language, in which numbers without a country code are read.
 */
export function ImportClient({ group, groupHref, maxBytes, siteLanguage, country }: { group: number; groupHref: string; maxBytes: number; siteLanguage: Locale; country: string }) {
  const t = useTranslations("subscriptions.import");
  const tl = useTranslations("layout.languageLabel");
  const tr = useTranslations();
  const locale = useLocale();
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("");
  const [status, setStatus] = useState<Status>("confirmed");
  const [delimiter, setDelimiter] = useState<DelimiterName>("auto");
  // For the rows whose file gives no language (no such column, or an empty cell).
  const [language, setLanguage] = useState<Locale>(siteLanguage);
  const [step, setStep] = useState<"input" | "preview" | "done">("input");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, start] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else heading.current?.focus(); // a new step: tell screen readers where they are
  }, [step]);

  const tooBig: Failure = { error: { key: "errors.csvTooBig", values: { max: Math.floor(maxBytes / 1000) } }, fieldErrors: { csv: { key: "errors.csvTooBig", values: { max: Math.floor(maxBytes / 1000) } } } };
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > maxBytes) return setFailure(tooBig);
    setCsv(await readText(file));
    setFileName(file.name);
    setFailure(null);
  };

  const submit = <T,>(act: (input: object) => Promise<{ ok: true; data: T } | ({ ok: false } & Failure)>, next: (data: T) => void) => {
    if (!csvFitsImport(csv)) return setFailure(tooBig);
    start(async () => {
      try {
        const result = await act({ group, csv, delimiter, status, fileName, locale, language });
        if (!result.ok) {
          setFailure({ error: result.error, fieldErrors: result.fieldErrors });
          if (result.fieldErrors) setStep("input");
          return;
        }
        setFailure(null);
        next(result.data);
      } catch {
        setFailure({ error: { key: "errors.unexpected" } }); // e.g. the connection dropped
      }
    });
  };
  const doPreview = () => submit(previewImportAction, (data) => (setPreview(data), setStep("preview")));
  const doImport = () => submit(runImportAction, (data) => (setReport(data), setStep("done")));
  const restart = () => {
    setCsv("");
    setFileName("");
    setPreview(null);
    setReport(null);
    setStep("input");
  };

  const csvError = failure?.fieldErrors?.csv;
  const alert = failure && (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{tr(failure.error.key, failure.error.values)}</p>
  );
  const input = "mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-600";

  if (step === "preview" && preview) {
    return (
      <section aria-labelledby="step-title" className="space-y-4">
        <h2 id="step-title" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">{t("previewTitle")}</h2>
        {alert}
        <ImportPreviewView preview={preview} status={status} language={language} busy={busy} onBack={() => setStep("input")} onImport={doImport} />
      </section>
    );
  }
  if (step === "done" && report) {
    return (
      <section aria-labelledby="step-title" className="space-y-4">
        <h2 id="step-title" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">{t("doneTitle")}</h2>
        <ImportReportView report={report} groupHref={groupHref} onRestart={restart} />
      </section>
    );
  }
  return (
    <section aria-labelledby="step-title" className="max-w-3xl space-y-4 rounded-lg bg-white p-4 shadow-sm sm:p-6">
      <h2 id="step-title" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">{t("inputTitle")}</h2>
      <p className="text-sm text-slate-600">{t("intro")}</p>
      {alert}
      <div>
        <label htmlFor="import-file" className="block text-sm font-medium">{t("file")}</label>
        <input id="import-file" type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => onFile(e.target.files?.[0])} aria-describedby="import-file-hint" className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm" />
        <p id="import-file-hint" className="mt-1 text-xs text-slate-500">{fileName ? t("fileLoaded", { name: fileName }) : t("fileHint", { max: Math.floor(maxBytes / 1000) })}</p>
      </div>
      <div>
        <label htmlFor="import-csv" className="block text-sm font-medium">{t("text")}</label>
        <textarea
          id="import-csv"
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          rows={10}
          spellCheck={false}
          aria-invalid={!!csvError}
          aria-describedby={`import-csv-hint${csvError ? " import-csv-error" : ""}`}
          placeholder={t("textPlaceholder")}
          className={`${input} font-mono ${csvError ? "border-red-600" : "border-slate-500"}`}
        />
        <p id="import-csv-hint" className="mt-1 text-xs text-slate-500">{t("textHint", { country })}</p>
        {csvError && <p id="import-csv-error" className="mt-1 text-sm text-red-700">{tr(csvError.key, csvError.values)}</p>}
      </div>
      <fieldset>
        <legend className="text-sm font-medium">{t("status")}</legend>
        {(["confirmed", "unconfirmed"] as const).map((s) => (
          <label key={s} className="mt-2 flex items-start gap-2 text-sm">
            <input type="radio" name="status" value={s} checked={status === s} onChange={() => setStatus(s)} className="mt-0.5 h-4 w-4" />
            <span>
              <span className="font-medium">{tr(`subscriptions.status.${s}`)}</span>
              <span className="block text-xs text-slate-500">{t(`statusHint.${s}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="max-w-md">
        <label htmlFor="import-language" className="block text-sm font-medium">{t("language")}</label>
        <select id="import-language" value={language} onChange={(e) => setLanguage(e.target.value as Locale)} aria-describedby="import-language-hint" className={`${input} border-slate-500`}>
          {locales.map((l) => (
            <option key={l} value={l}>{tl(l)}</option>
          ))}
        </select>
        <p id="import-language-hint" className="mt-1 text-xs text-slate-500">{t("languageHint")}</p>
      </div>
      <div className="max-w-xs">
        <label htmlFor="import-delimiter" className="block text-sm font-medium">{t("delimiterLabel")}</label>
        <select id="import-delimiter" value={delimiter} onChange={(e) => setDelimiter(e.target.value as DelimiterName)} className={`${input} border-slate-500`}>
          {delimiters.map((d) => (
            <option key={d} value={d}>{t(`delimiter.${d}`)}</option>
          ))}
        </select>
      </div>
      <button type="button" onClick={doPreview} disabled={busy || csv.trim() === ""} aria-busy={busy} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
        {busy ? t("reading") : t("preview")}
      </button>
    </section>
  );
}

"use client";
import { useEffect } from "react";
import { useTranslations } from "next-intl";

/**
 * What a page shows instead of a blank screen when rendering it failed (Next's error
 * boundary). Server errors arrive with a digest only (their message stays in the server's
 * log, matched by the reference); an error raised in the browser keeps its message, shown
 * folded for whoever reports it. Never a stack trace. "Try again" fetches the page again
 * (retry), which is what recovers from a server error such as a database restart.
 */
export function ErrorPanel({ error, retry }: { error: (Error & { digest?: string }) | null | undefined; retry: () => void }) {
  const t = useTranslations("pageError");
  useEffect(() => {
    console.error(error);
  }, [error]);
  // A browser-side throw need not be an Error (`throw null` reaches here as is).
  const digest = typeof error?.digest === "string" ? error.digest : "";
  const message = error instanceof Error ? error.message : "";
  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-700">{t("body")}</p>
      <div className="mt-4 flex flex-wrap gap-3">
        <button type="button" onClick={() => retry()} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">{t("retry")}</button>
        <button type="button" onClick={() => window.location.reload()} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">{t("reload")}</button>
      </div>
      {(digest || message) && (
        <details className="mt-4 text-xs text-slate-600">
          <summary className="cursor-pointer">{t("details")}</summary>
          <p className="mt-1 break-words font-mono">{digest ? t("reference", { digest }) : message}</p>
        </details>
      )}
    </div>
  );
}

"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { EraseDialog } from "@/components/subscriptions/erase-dialog";

/** "Erase a person" by address, for a request that names an address rather than a group's row. */
export function EraseClient() {
  const t = useTranslations("subscriptions.erase");
  const [typed, setTyped] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  return (
    <details className="mb-6 rounded-lg bg-white p-4 shadow-sm">
      <summary className="cursor-pointer font-medium text-brand-800">{t("formTitle")}</summary>
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) setAsked(typed.trim());
        }}
      >
        <p id="erase-hint" className="w-full text-sm text-slate-600">{t("formHint")}</p>
        <label className="text-sm">
          <span className="block font-medium text-slate-800">{t("email")}</span>
          <input type="email" value={typed} onChange={(e) => setTyped(e.target.value)} aria-describedby="erase-hint" autoComplete="off" className="mt-1 block w-72 max-w-full rounded-md border border-slate-500 px-2 py-1.5 text-sm shadow-sm" />
        </label>
        <button type="submit" disabled={!typed.trim()} className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50">
          {t("open")}
        </button>
      </form>
      <EraseDialog email={asked} onClose={() => setAsked(null)} />
    </details>
  );
}

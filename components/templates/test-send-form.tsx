"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions/action";
import { testSendAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";

/** A test of the saved template to one address, through the queue like any other message. */
export function TestSendForm({ templateId, defaultAddress, disabled }: { templateId: number; defaultAddress: string; disabled?: boolean }) {
  const t = useTranslations("templates.test");
  const tr = useTranslations();
  const [address, setAddress] = useState(defaultAddress);
  const [state, setState] = useState<ActionResult<{ address: string }> | null>(null);
  const [busy, start] = useTransition();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    start(async () => setState(await safeAction(testSendAction, { id: templateId, address })));
  };
  const fieldError = state && !state.ok ? state.fieldErrors?.address : undefined;
  return (
    <form onSubmit={submit} noValidate className="space-y-2" aria-labelledby="test-title">
      <h3 id="test-title" className="text-base font-semibold">{t("title")}</h3>
      <label htmlFor="test-address" className="block text-sm font-medium text-slate-800">{t("address")}</label>
      <div className="flex flex-wrap gap-2">
        <input
          id="test-address"
          type="email"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          maxLength={320}
          autoComplete="email"
          aria-invalid={!!fieldError}
          aria-describedby="test-status"
          className={`min-w-0 flex-1 rounded-md border px-3 py-2 text-sm ${fieldError ? "border-red-600" : "border-slate-300"}`}
        />
        <button type="submit" disabled={busy || disabled} aria-busy={busy} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50">
          {t("button")}
        </button>
      </div>
      <p id="test-status" role="status" className={`text-sm ${state && !state.ok ? "text-red-800" : "text-brand-800"}`}>
        {state?.ok && t("queued", { address: state.data.address })}
        {state && !state.ok && tr((fieldError ?? state.error).key, (fieldError ?? state.error).values)}
      </p>
    </form>
  );
}

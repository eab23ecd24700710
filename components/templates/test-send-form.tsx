"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import type { TemplateChannel } from "@/db/schema";
import type { ActionResult } from "@/lib/actions/action";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { testSendAction, testSmsAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";

/**
 * A test of the saved template to one address (or, for an SMS template, one mobile number typed
 * in any format), through the queue like any other message. What was typed stays on a refusal.
 */
export function TestSendForm({ templateId, defaultAddress, disabled, channel = "email" }: { templateId: number; defaultAddress: string; disabled?: boolean; channel?: TemplateChannel }) {
  const t = useTranslations("templates.test");
  const tr = useTranslations();
  const sms = channel === "sms";
  const [address, setAddress] = useState(sms ? "" : defaultAddress);
  const [state, setState] = useState<ActionResult<{ address: string } | { to: string }> | null>(null);
  const [busy, start] = useTransition();
  // The button is disabled while the test goes, so focus falls to the page: a refused number
  // sends it to the field, anything else to the answer below.
  const statusRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    start(async () => setState(sms ? await safeAction(testSmsAction, { id: templateId, to: address }) : await safeAction(testSendAction, { id: templateId, address })));
  };
  const fieldError = state && !state.ok ? state.fieldErrors?.[sms ? "to" : "address"] : undefined;
  const queued = state?.ok ? ("to" in state.data ? t("queuedSms", { number: state.data.to }) : t("queued", { address: state.data.address })) : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-2" aria-labelledby="test-title">
      <h3 id="test-title" className="text-base font-semibold">{t("title")}</h3>
      <label htmlFor="test-address" className="block text-sm font-medium text-slate-800">{sms ? t("number") : t("address")}</label>
      <div className="flex flex-wrap gap-2">
        <input
          id="test-address"
          type={sms ? "tel" : "email"}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          maxLength={sms ? 40 : 320}
          autoComplete={sms ? "tel" : "email"}
          aria-invalid={!!fieldError}
          aria-describedby="test-status"
          className={`min-w-0 flex-1 rounded-md border px-3 py-2 text-sm ${fieldError ? "border-red-600" : "border-slate-500"}`}
        />
        <button type="submit" disabled={busy || disabled} aria-busy={busy} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50">
          {t("button")}
        </button>
      </div>
      <p ref={statusRef} tabIndex={-1} id="test-status" role="status" className={`text-sm ${state && !state.ok ? "text-red-800" : "text-brand-800"}`}>
        {queued}
        {state && !state.ok && tr((fieldError ?? state.error).key, (fieldError ?? state.error).values)}
      </p>
    </form>
  );
}

"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import type { ActionResult } from "@/lib/actions/action";
import { retryFailuresAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";
import { pokeSendStats } from "./use-send-stats";

/** "Retry the failures": the send's rows in error go back to pending and leave again. */
export function RetryFailuresButton({ sendId, errors }: { sendId: number; errors: number }) {
  const t = useTranslations("templates.retry");
  const tr = useTranslations();
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ActionResult<{ count: number }> | null>(null);
  const [busy, start] = useTransition();
  const confirm = () =>
    start(async () => {
      const result = await safeAction(retryFailuresAction, { id: sendId });
      setOpen(false);
      setState(result);
      pokeSendStats();
    });
  return (
    <>
      {errors > 0 && (
        <button type="button" onClick={() => setOpen(true)} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">
          {t("button")}
        </button>
      )}
      <span role="status" className={`text-sm ${state && !state.ok ? "text-red-800" : "text-slate-700"}`}>
        {state?.ok && t("done", { count: state.data.count })}
        {state && !state.ok && tr(state.error.key, state.error.values)}
      </span>
      <ConfirmDialog open={open} title={t("title")} confirmLabel={t("confirm")} cancelLabel={t("close")} canConfirm={errors > 0} busy={busy} onConfirm={confirm} onClose={() => setOpen(false)}>
        <p>{t("body", { count: errors })}</p>
      </ConfirmDialog>
    </>
  );
}

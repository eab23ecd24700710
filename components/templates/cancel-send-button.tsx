"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import type { Msg } from "@/lib/actions/errors";
import { cancelSendAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";

/** Cancels a scheduled send (nothing of it was queued yet), after a confirmation. */
export function CancelSendButton({ sendId, onDone }: { sendId: number; onDone?: () => void }) {
  const t = useTranslations("templates.cancel");
  const tr = useTranslations();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<Msg | null>(null);
  const [busy, start] = useTransition();
  const confirm = () =>
    start(async () => {
      const result = await safeAction(cancelSendAction, { id: sendId });
      setOpen(false);
      if (!result.ok) return setError(result.error);
      setError(null);
      onDone?.();
    });
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50">
        {t("button")}
      </button>
      {error && <span role="alert" className="text-sm text-red-800">{tr(error.key, error.values)}</span>}
      <ConfirmDialog open={open} title={t("title")} confirmLabel={t("confirm")} cancelLabel={t("close")} canConfirm danger busy={busy} onConfirm={confirm} onClose={() => setOpen(false)}>
        <p>{t("body")}</p>
      </ConfirmDialog>
    </>
  );
}

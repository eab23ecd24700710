"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import type { Msg } from "@/lib/actions/errors";
import { cloneTemplateAction, deleteTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";

/**
 * Clone (opens the copy in the editor, to change its recipients) and Delete (after a
 * confirmation naming the template). `afterDelete` is where to go once it is gone.
 */
export function TemplateActions({ id, name, afterDelete, size = "md" }: { id: number; name: string; afterDelete?: string; size?: "sm" | "md" }) {
  const t = useTranslations("templates.actions");
  const tr = useTranslations();
  const locale = useLocale();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Msg | null>(null);
  const [busy, start] = useTransition();

  const clone = () =>
    start(async () => {
      setError(null);
      const result = await safeAction(cloneTemplateAction, { id, locale });
      if (!result.ok) setError(result.error);
    });
  const remove = () =>
    start(async () => {
      const result = await safeAction(deleteTemplateAction, { id });
      setConfirming(false);
      if (!result.ok) return setError(result.error);
      if (afterDelete) router.push(afterDelete);
      else router.refresh();
    });

  const pad = size === "sm" ? "px-3 py-1.5" : "px-4 py-2";
  return (
    <>
      <button type="button" onClick={clone} disabled={busy} aria-busy={busy} aria-label={t("cloneNamed", { name })} className={`rounded-md border border-slate-300 bg-white text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60 ${pad}`}>
        {t("clone")}
      </button>
      <button type="button" onClick={() => setConfirming(true)} disabled={busy} aria-label={t("deleteNamed", { name })} className={`rounded-md border border-red-300 bg-white text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 ${pad}`}>
        {t("delete")}
      </button>
      {error && (
        <p role="alert" className="basis-full text-sm text-red-800">{tr(error.key, error.values)}</p>
      )}
      <ConfirmDialog
        open={confirming}
        title={t("deleteTitle")}
        confirmLabel={t("deleteConfirm")}
        cancelLabel={t("close")}
        canConfirm
        danger
        busy={busy}
        onConfirm={remove}
        onClose={() => setConfirming(false)}
      >
        <p>{t("deleteBody", { name })}</p>
      </ConfirmDialog>
    </>
  );
}

"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { useShowPageNotice } from "@/components/ui/page-notice";
import type { ActionResult } from "@/lib/actions/action";
import { changeQueueAction, countQueueAction } from "./actions";
import { pokeQueueStats } from "./use-queue-stats";

type Op = "pending" | "cancel";
type Target = "ids" | "filter";
type Pending = { op: Op; target: Target; count: number | null; error?: ActionResult<unknown> };

/**
 * Bulk changes on the selection or on every row matching the filter. Each asks first, showing
 * how many rows would change (counted by the server with the same filter the change uses).
 */
export function BulkClient({ selected, filter, onDone }: { selected: number[]; filter: string; onDone: () => void }) {
  const t = useTranslations("queue.bulk");
  const tr = useTranslations();
  const [dialog, setDialog] = useState<Pending | null>(null);
  const setNotice = useShowPageNotice();
  const [busy, startBusy] = useTransition();

  const open = (op: Op, target: Target) => {
    const request = { op, target, ids: target === "ids" ? selected : [], filter };
    setDialog({ op, target, count: null });
    startBusy(async () => {
      const result = await countQueueAction(request);
      setDialog((d) => (d && d.op === op && d.target === target ? { ...d, count: result.ok ? result.data.count : 0, error: result.ok ? undefined : result } : d));
    });
  };
  const confirm = () => {
    if (!dialog) return;
    const request = { op: dialog.op, target: dialog.target, ids: dialog.target === "ids" ? selected : [], filter };
    startBusy(async () => {
      const result = await changeQueueAction(request);
      setDialog(null);
      if (!result.ok) return setNotice({ ok: false, text: tr(result.error.key, result.error.values) });
      setNotice({ ok: true, text: t(request.op === "pending" ? "pendingDone" : "cancelDone", { count: result.data.count }) });
      onDone();
      pokeQueueStats();
    });
  };

  const button = "rounded-md border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50";
  const none = selected.length === 0;
  return (
    <div className="mb-3 space-y-2">
      <div className="flex flex-wrap items-center gap-2 rounded-lg bg-white p-3 shadow-sm">
        <span className="mr-2 text-sm text-slate-700" aria-live="polite">{t("selected", { count: selected.length })}</span>
        <button type="button" disabled={none || busy} onClick={() => open("pending", "ids")} className={`${button} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>{t("pendingSelected")}</button>
        <button type="button" disabled={none || busy} onClick={() => open("cancel", "ids")} className={`${button} border-red-300 bg-white text-red-800 hover:bg-red-50`}>{t("cancelSelected")}</button>
        <span className="mx-1 hidden h-6 w-px bg-slate-200 sm:block" aria-hidden="true" />
        <button type="button" disabled={busy} onClick={() => open("pending", "filter")} className={`${button} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>{t("pendingMatching")}</button>
        <button type="button" disabled={busy} onClick={() => open("cancel", "filter")} className={`${button} border-red-300 bg-white text-red-800 hover:bg-red-50`}>{t("cancelMatching")}</button>
      </div>
      <ConfirmDialog
        open={dialog !== null}
        title={dialog ? t(dialog.op === "pending" ? "pendingTitle" : "cancelTitle") : ""}
        confirmLabel={dialog?.op === "cancel" ? t("cancelConfirm") : t("pendingConfirm")}
        cancelLabel={t("close")}
        canConfirm={!!dialog?.count}
        busy={busy}
        danger={dialog?.op === "cancel"}
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        {dialog?.error && !dialog.error.ok ? (
          <p className="text-red-800">{tr(dialog.error.error.key, dialog.error.error.values)}</p>
        ) : dialog?.count === null || dialog?.count === undefined ? (
          <p>{t("counting")}</p>
        ) : (
          <p>{t(dialog.op === "pending" ? "pendingBody" : "cancelBody", { count: dialog.count, scope: dialog.target })}</p>
        )}
      </ConfirmDialog>
    </div>
  );
}

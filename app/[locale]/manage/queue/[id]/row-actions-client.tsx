"use client";
import { startTransition, useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import type { QueueStatus } from "@/db/schema";
import { changeQueueAction } from "../actions";

/**
 * One row: back to pending (sent, delivered or in error), or cancel while still pending. A row
 * that already went out asks first: it goes again, and an SMS is billed again, per segment.
 * An erased person's row cannot be sent again, which it says: it has no one to go to, or, sent
 * before the erasure, the queue would stop it (the person asked not to be reached again).
 */
export function RowActionsClient(props: { id: number; status: QueueStatus; recipient: string; erased: boolean; wontGo: string | null; segments: number | null }) {
  const { id, status, recipient, erased, wontGo, segments } = props;
  const t = useTranslations("queue.bulk");
  const tr = useTranslations();
  const [state, dispatch, busy] = useActionState((previous: unknown, input: Parameters<typeof changeQueueAction>[1]) => changeQueueAction(previous, input), null);
  // The row's new status swaps the pressed button for another: the answer takes focus.
  const answerRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  // "site=all" only widens a superuser's scope; everyone else stays on their own site.
  const run = (op: "pending" | "cancel") => startTransition(() => dispatch({ op, target: "ids", ids: [id], filter: "site=all" }));
  const requeueable = status === "error" || status === "sent" || status === "delivered";
  // Set back to pending, it would end where it is (its person unsubscribed or opted out since): not offered.
  const canRequeue = !erased && !wontGo && requeueable;
  const wentOut = status === "sent" || status === "delivered";
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {canRequeue && (
        <button type="button" onClick={() => (wentOut ? setConfirming(true) : run("pending"))} disabled={busy} aria-busy={busy} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
          {t("pendingOne")}
        </button>
      )}
      {erased && (requeueable || status === "pending") && <p className="w-full text-sm text-slate-700">{t("erasedNoResend")}</p>}
      {!erased && wontGo && requeueable && <p className="w-full text-sm text-slate-700">{t("stoppedNoResend", { reason: wontGo })}</p>}
      {status === "pending" && (
        <button type="button" onClick={() => run("cancel")} disabled={busy} aria-busy={busy} className="rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60">
          {t("cancelOne")}
        </button>
      )}
      <ConfirmDialog
        open={confirming}
        title={t("resendTitle")}
        confirmLabel={t("resendConfirm")}
        cancelLabel={t("close")}
        canConfirm
        onConfirm={() => {
          setConfirming(false);
          run("pending");
        }}
        onClose={() => setConfirming(false)}
      >
        <p>{t("resendBody", { recipient, segments: segments ?? 0 })}</p>
      </ConfirmDialog>
      <p ref={answerRef} tabIndex={-1} role="status" className="w-full text-sm text-slate-700 sm:w-auto">
        {state?.ok && t(state.data.count > 0 ? "oneDone" : "oneUnchanged")}
        {state && !state.ok && <span className="text-red-800">{tr(state.error.key, state.error.values)}</span>}
      </p>
    </div>
  );
}

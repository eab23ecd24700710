"use client";
import { startTransition, useActionState, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { startQueueRunAction } from "./actions";
import { pokeQueueStats } from "./use-queue-stats";
import { LocalDateTime } from "@/components/templates/local-time";

/** "Send pending messages" and "Resend messages in error" (the latter after a confirmation). */
export function RunButtonsClient({ filter, errors }: { filter: string; errors: number }) {
  const t = useTranslations("queue.run");
  const tr = useTranslations();
  const [state, dispatch, busy] = useActionState((previous: unknown, input: { kind: "send" | "resend"; filter: string }) => startQueueRunAction(previous, input), null);
  const [confirming, setConfirming] = useState(false);
  // Both buttons are disabled while the run starts, so focus falls to the page: the answer
  // (or the refusal) takes it.
  const answerRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  useEffect(() => {
    if (state?.ok) pokeQueueStats();
  }, [state]);
  const start = (kind: "send" | "resend") => {
    setConfirming(false);
    startTransition(() => dispatch({ kind, filter }));
  };
  const button = "rounded-md px-4 py-2 text-sm font-medium disabled:opacity-60";
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => start("send")} disabled={busy} aria-busy={busy} className={`${button} bg-brand-700 text-white hover:bg-brand-800`}>
          {t("send")}
        </button>
        <button type="button" onClick={() => setConfirming(true)} disabled={busy} className={`${button} border border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
          {t("resend")}
        </button>
      </div>
      <p ref={answerRef} tabIndex={-1} role="status" className="text-sm text-slate-700">
        {state?.ok &&
          (state.data.kind === "resend"
            ? t("resendStarted", { count: state.data.requeued })
            : state.data.pending === 0
              ? t("nothingPending")
              : state.data.waitsUntil
                ? t.rich("nothingDue", { when: () => <LocalDateTime value={state.data.waitsUntil} style="full" nameZone /> })
                : t("sendStarted"))}
        {state && !state.ok && <span className="text-red-800">{tr(state.error.key, state.error.values)}</span>}
      </p>
      <ConfirmDialog
        open={confirming}
        title={t("resendTitle")}
        confirmLabel={t("resendConfirm")}
        cancelLabel={t("cancel")}
        canConfirm={errors > 0}
        onConfirm={() => start("resend")}
        onClose={() => setConfirming(false)}
      >
        <p>{t("resendBody", { count: errors })}</p>
      </ConfirmDialog>
    </div>
  );
}

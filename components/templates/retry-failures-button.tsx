"use client";
import { useEffect, useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { focusIsLost } from "@/components/ui/focus";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import type { ActionResult } from "@/lib/actions/action";
import type { LeftOut, LeftOutReason } from "@/lib/newsletters/retry-failures";
import { retryFailuresAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";
import { pokeSendStats } from "./use-send-stats";

/**
 * What the report knows a retry would do now (lib/newsletters/retry-failures.ts, retryPlan).
 * `leftOut` null: too many failures to sort before asking; `count` is then every failure, and
 * the answer says what was left out.
 */
export type RetryOffer = { count: number; leftOut: LeftOut | null };

const REASONS: LeftOutReason[] = ["optedOut", "unsubscribed", "invalid"];

/** The failures a retry leaves out, by reason ("1 number opted out of SMS"), those with none skipped. */
function useLeftOutParts() {
  const t = useTranslations("templates.retry.leftOut");
  return (leftOut: LeftOut) => REASONS.filter((r) => leftOut[r] > 0).map((r) => t(r, { count: leftOut[r] }));
}

/**
 * "Retry the failures": the send's rows in error that can still go back to pending and leave
 * again. Those that would only fail again (opted out, unsubscribed, erased, not a number) are
 * left out and said so, before (the dialog) and after (the answer); with nothing to resend there
 * is no button, only why.
 */
export function RetryFailuresButton({ sendId, offer }: { sendId: number; offer: RetryOffer | null }) {
  const t = useTranslations("templates.retry");
  const tr = useTranslations();
  const format = useFormatter();
  const leftOutParts = useLeftOutParts();
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ActionResult<{ resent: number; leftOut: LeftOut }> | null>(null);
  const [busy, start] = useTransition();
  const list = (parts: string[]) => format.list(parts, { type: "conjunction" });
  const count = offer?.count ?? 0;
  // Closing the dialog gives focus back to this button (ConfirmDialog), but the retried rows
  // are pending again, so the report then drops the button, and focus with it: the answer,
  // which now stands where the button was, takes it (also when it came after the button went).
  const answerRef = useFocusOnAnswer<HTMLSpanElement>(state);
  useEffect(() => {
    if (state && count === 0 && focusIsLost()) answerRef.current?.focus();
  }, [state, count, answerRef]);
  const confirm = () =>
    start(async () => {
      const result = await safeAction(retryFailuresAction, { id: sendId });
      setOpen(false);
      setState(result);
      pokeSendStats();
    });
  const leftOut = offer?.leftOut ? leftOutParts(offer.leftOut) : [];
  const answer = state?.ok ? leftOutParts(state.data.leftOut) : [];
  return (
    <>
      {count > 0 && (
        <button type="button" onClick={() => setOpen(true)} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800">
          {t("button")}
        </button>
      )}
      {/* Nothing can be resent: said once, instead of a button that would only fail again. */}
      {count === 0 && leftOut.length > 0 && !state && <span className="text-sm text-slate-700">{t("nothing", { list: list(leftOut) })}</span>}
      <span ref={answerRef} tabIndex={-1} role="status" className={`text-sm ${state && !state.ok ? "text-red-800" : "text-slate-700"}`}>
        {state?.ok && t("done", { count: state.data.resent })}
        {state?.ok && answer.length > 0 && ` ${t("doneLeftOut", { list: list(answer), count: REASONS.reduce((n, r) => n + state.data.leftOut[r], 0) })}`}
        {state && !state.ok && tr(state.error.key, state.error.values)}
      </span>
      <ConfirmDialog open={open} title={t("title")} confirmLabel={t("confirm")} cancelLabel={t("close")} canConfirm={count > 0} busy={busy} onConfirm={confirm} onClose={() => setOpen(false)}>
        <p>{offer?.leftOut === null ? t("bodyUnsorted", { count }) : t("body", { count })}</p>
        {leftOut.length > 0 && (
          <>
            <p className="mt-2">{t("leftOutIntro", { count: REASONS.reduce((n, r) => n + offer!.leftOut![r], 0) })}</p>
            <ul className="mt-1 list-disc pl-5">
              {leftOut.map((part) => (
                <li key={part}>{part}</li>
              ))}
            </ul>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

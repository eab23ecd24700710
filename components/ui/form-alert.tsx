"use client";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions/action";
import { useFocusOnAnswer } from "./use-focus-on-answer";

/**
 * The form-level outcome of an action, announced to screen readers. It also moves focus after
 * the answer (see useFocusOnAnswer), so every form that shows one does so the same way.
 */
export function FormAlert({ state, success }: { state: ActionResult<unknown> | null; success?: string }) {
  const t = useTranslations();
  const ref = useFocusOnAnswer<HTMLParagraphElement>(state);
  if (!state) return null;
  if (state.ok) {
    if (!success && !state.message) return null;
    return (
      <p ref={ref} tabIndex={-1} role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
        {state.message ? t(state.message.key, state.message.values) : success}
      </p>
    );
  }
  return (
    <p ref={ref} tabIndex={-1} role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {t(state.error.key, state.error.values)}
    </p>
  );
}

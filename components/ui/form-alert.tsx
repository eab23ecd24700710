"use client";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions/action";

/** The form-level outcome of an action, announced to screen readers. */
export function FormAlert({ state, success }: { state: ActionResult<unknown> | null; success?: string }) {
  const t = useTranslations();
  if (!state) return null;
  if (state.ok) {
    if (!success && !state.message) return null;
    return (
      <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
        {state.message ? t(state.message.key, state.message.values) : success}
      </p>
    );
  }
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {t(state.error.key, state.error.values)}
    </p>
  );
}

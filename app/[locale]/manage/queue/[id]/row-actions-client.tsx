"use client";
import { startTransition, useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { QueueStatus } from "@/db/schema";
import { changeQueueAction } from "../actions";

/** One row: back to pending (sent, delivered or in error), or cancel while still pending. */
export function RowActionsClient({ id, status }: { id: number; status: QueueStatus }) {
  const t = useTranslations("queue.bulk");
  const tr = useTranslations();
  const router = useRouter();
  const [state, dispatch, busy] = useActionState((previous: unknown, input: Parameters<typeof changeQueueAction>[1]) => changeQueueAction(previous, input), null);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  // "site=all" only widens a superuser's scope; everyone else stays on their own site.
  const run = (op: "pending" | "cancel") => startTransition(() => dispatch({ op, target: "ids", ids: [id], filter: "site=all" }));
  const canRequeue = status === "error" || status === "sent" || status === "delivered";
  return (
    <div className="flex flex-wrap items-center gap-2">
      {canRequeue && (
        <button type="button" onClick={() => run("pending")} disabled={busy} aria-busy={busy} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
          {t("pendingOne")}
        </button>
      )}
      {status === "pending" && (
        <button type="button" onClick={() => run("cancel")} disabled={busy} aria-busy={busy} className="rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60">
          {t("cancelOne")}
        </button>
      )}
      <p role="status" className="w-full text-sm text-slate-700 sm:w-auto">
        {state?.ok && t(state.data.count > 0 ? "oneDone" : "oneUnchanged")}
        {state && !state.ok && <span className="text-red-800">{tr(state.error.key, state.error.values)}</span>}
      </p>
    </div>
  );
}

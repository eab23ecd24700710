"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions/action";
import { FormAlert } from "@/components/ui/form-alert";
import type { SubscriberView } from "./subscriber";

type Props = {
  action: (previous: unknown, raw?: unknown) => Promise<ActionResult<{ left: number | "all" }>>;
  token: string;
  view: SubscriberView;
};

/** One form: each row's button leaves its group, the last one leaves everything. */
export function UnsubscribeForm({ action, token, view }: Props) {
  const t = useTranslations("newsletter.unsubscribe");
  const [state, formAction] = useActionState(action, null);
  const label = (s: { groupId: number; label: string | null }) => s.label ?? t("unknownGroup", { id: s.groupId });
  const active = view.subscriptions.filter((s) => s.status !== "unsubscribed");
  const left = state?.ok ? state.data.left : null;
  const leftLabel = typeof left === "number" ? label(view.subscriptions.find((s) => s.groupId === left) ?? { groupId: left, label: null }) : "";
  return (
    <form action={formAction} className="space-y-6">
      <input type="hidden" name="token" value={token} />
      {left === "all" && (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
          {t("leftAll", { site: view.siteName })}
        </p>
      )}
      {typeof left === "number" && (
        <p role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
          {t("leftGroup", { group: leftLabel })}
        </p>
      )}
      {state && !state.ok && <FormAlert state={state} />}
      {view.subscriptions.length === 0 ? (
        <p className="text-sm text-slate-700">{t("none")}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
          {view.subscriptions.map((s) => (
            <li key={s.groupId} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div>
                <p className="font-medium text-slate-900">{label(s)}</p>
                <p className="text-xs text-slate-600">{t(`status.${s.status}`)}</p>
              </div>
              {s.status !== "unsubscribed" && (
                <button
                  type="submit"
                  name="group"
                  value={s.groupId}
                  aria-label={t("leaveGroup", { group: label(s) })}
                  className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
                >
                  {t("leave")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {active.length > 0 || !view.suppressed ? (
        <button type="submit" name="group" value="all" className="rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800">
          {t("leaveAll")}
        </button>
      ) : (
        left !== "all" && <p className="text-sm text-slate-700">{t("nothingLeft", { site: view.siteName })}</p>
      )}
    </form>
  );
}

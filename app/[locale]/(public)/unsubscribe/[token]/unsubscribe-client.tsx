"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions/action";
import { FormAlert } from "@/components/ui/form-alert";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import type { LeaveAnswer } from "./actions";
import type { SubscriberView } from "./subscriber";

type Props = {
  action: (previous: unknown, raw?: unknown) => Promise<ActionResult<LeaveAnswer>>;
  token: string;
  view: SubscriberView;
};

/**
 * One action for the whole page, so only its last answer shows: each row's button leaves its
 * group, the last one leaves everything, and the answer to leaving a group offers to undo it.
 */
export function UnsubscribeForm({ action, token, view }: Props) {
  const [state, formAction] = useActionState(action, null);
  return <UnsubscribeView answer={state} formAction={formAction} token={token} view={view} />;
}

type ViewProps = { answer: ActionResult<LeaveAnswer> | null; formAction: (data: FormData) => void; token: string; view: SubscriberView };

/** The page below its title, after `answer` (null: nothing done yet). Apart from the hook so tests can render each answer. */
export function UnsubscribeView({ answer, formAction, token, view }: ViewProps) {
  const t = useTranslations("newsletter.unsubscribe");
  // Every button here goes once pressed (the group is left, the undo is used): its answer takes focus.
  const answerRef = useFocusOnAnswer<HTMLParagraphElement>(answer);
  const label = (groupId: number) => {
    const s = view.subscriptions.find((s) => s.groupId === groupId);
    return s?.label ?? t("unknownGroup", { id: groupId });
  };
  // The view is the page re-rendered with the answer (refresh), so it already shows the change.
  const active = view.subscriptions.filter((s) => s.status !== "unsubscribed");
  const done = answer?.ok ? answer.data : null;
  const left = done && "left" in done ? done.left : null;
  // Nothing left to leave: "everything" still means something only to an address in no group
  // at all (a pasted list could reach it); one that left a group is already kept off those.
  const offerLeaveAll = active.length > 0 || (view.subscriptions.length === 0 && !view.suppressed);
  return (
    <div className="space-y-6">
      {left === "all" && <Notice ref={answerRef}>{t("leftAll", { site: view.siteName })}</Notice>}
      {typeof left === "number" && (
        <div className="space-y-3">
          <Notice ref={answerRef}>{t(active.length > 0 ? "leftGroup" : "leftOnlyGroup", { group: label(left) })}</Notice>
          {done && "undo" in done && done.undo && (
            <form action={formAction}>
              <input type="hidden" name="token" value={token} />
              <input type="hidden" name="group" value={left} />
              <input type="hidden" name="undo" value={done.undo} />
              <button type="submit" className="text-sm text-brand-700 underline">
                {t("undo", { group: label(left) })}
              </button>
            </form>
          )}
        </div>
      )}
      {done && "rejoined" in done && <Notice ref={answerRef}>{t("rejoined", { group: label(done.rejoined) })}</Notice>}
      {answer && !answer.ok && <FormAlert state={answer} />}
      <form action={formAction} className="space-y-6">
        <input type="hidden" name="token" value={token} />
        <GroupList view={view} label={label} />
        {offerLeaveAll ? (
          <button type="submit" name="group" value="all" className="rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800">
            {t("leaveAll")}
          </button>
        ) : (
          left !== "all" && <p className="text-sm text-slate-700">{t("nothingLeft", { site: view.siteName })}</p>
        )}
      </form>
    </div>
  );
}

function Notice({ children, ref }: { children: React.ReactNode; ref: React.Ref<HTMLParagraphElement> }) {
  return (
    <p ref={ref} tabIndex={-1} role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
      {children}
    </p>
  );
}

/** The address's groups, each with its status and, while subscribed, the button that leaves it. */
function GroupList({ view, label }: { view: SubscriberView; label: (groupId: number) => string }) {
  const t = useTranslations("newsletter.unsubscribe");
  if (view.subscriptions.length === 0) return <p className="text-sm text-slate-700">{t("none")}</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
      {view.subscriptions.map((s) => (
        <li key={s.groupId} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div>
            <p className="font-medium text-slate-900">{label(s.groupId)}</p>
            <p className="text-xs text-slate-600">{t(`status.${s.status}`)}</p>
          </div>
          {s.status !== "unsubscribed" && (
            <button
              type="submit"
              name="group"
              value={s.groupId}
              aria-label={t("leaveGroup", { group: label(s.groupId) })}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
            >
              {t("leave")}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

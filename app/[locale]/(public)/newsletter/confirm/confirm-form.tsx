"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { confirmSubscriptionAction } from "./actions";

type Group = { id: number; label: string };

/** The groups a link stands for, then a button: pressing it (a POST) is what confirms them. */
export function ConfirmSubscriptionForm({ token, site, groups }: { token: string; site: string; groups: Group[] }) {
  const t = useTranslations("newsletter.confirm");
  const [state, formAction] = useActionState(confirmSubscriptionAction, null);
  // The answer replaces the form and its button: it takes focus.
  const confirmedRef = useFocusOnAnswer<HTMLDivElement>(state);
  if (state?.ok) return <Confirmed ref={confirmedRef} groups={groups.filter((g) => state.data.groupIds.includes(g.id))} />;
  // The link died meanwhile (pressed in another tab, or the person unsubscribed): no button left.
  if (state?.error.key === "errors.subscriptionLinkInvalid") return <FormAlert state={state} />;
  return (
    <form action={formAction} className="space-y-4 text-sm">
      <p className="text-slate-700">{t("intro", { count: groups.length, site })}</p>
      <GroupList groups={groups} />
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton>{t("submit", { count: groups.length })}</SubmitButton>
      <p className="text-slate-600">{t("notYou")}</p>
    </form>
  );
}

function Confirmed({ groups, ref }: { groups: Group[]; ref: React.Ref<HTMLDivElement> }) {
  const t = useTranslations("newsletter.confirm");
  return (
    <div ref={ref} tabIndex={-1} role="status" className="space-y-3 text-sm">
      <p className="rounded-md bg-brand-50 px-3 py-2 text-brand-800">{t("confirmed", { count: groups.length })}</p>
      <GroupList groups={groups} />
      <p className="text-slate-600">{t("leaveAnyTime")}</p>
    </div>
  );
}

const GroupList = ({ groups }: { groups: Group[] }) => (
  <ul className="list-disc pl-6 text-slate-800">
    {groups.map((g) => (
      <li key={g.id}>{g.label}</li>
    ))}
  </ul>
);

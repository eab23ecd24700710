"use client";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { ActionResult } from "@/lib/actions/action";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { failedInput } from "@/lib/actions/form-state";

export type SignupFormAction = (previous: unknown, raw?: unknown) => Promise<ActionResult<unknown>>;

type Props = { action: SignupFormAction; groups: { id: number; label: string }[]; preselected: number[]; consent: string };

/** The signup form: email, groups, the consent text it records, and a honeypot for bots. */
export function SignupForm({ action, groups, preselected, consent }: Props) {
  const t = useTranslations();
  const locale = useLocale();
  const [state, formAction] = useActionState(action, null);
  // The answer replaces the form and its button: it takes focus.
  const doneRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  if (state?.ok) {
    return (
      <p ref={doneRef} tabIndex={-1} role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
        {t("newsletter.thanks")}
      </p>
    );
  }
  const { values, errors } = failedInput(state);
  const checked = new Set(values ? (values.groups ?? "").split("\n") : preselected.map(String));
  const groupsError = errors?.groups;
  return (
    <form action={formAction} className="space-y-4" noValidate aria-describedby="newsletter-consent">
      <FormAlert state={state} />
      <input type="hidden" name="locale" value={locale} />
      {/* Bots fill every field; people never see this one, nor reach it with Tab. */}
      <div aria-hidden="true" className="absolute -left-[10000px] top-auto h-px w-px overflow-hidden">
        <label htmlFor="newsletter-website">{t("newsletter.honeypot")}</label>
        <input id="newsletter-website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>
      <Field name="email" type="email" label={t("newsletter.email")} autoComplete="email" required defaultValue={values?.email} error={errors?.email} />
      <fieldset aria-describedby={groupsError ? "newsletter-groups-error" : undefined}>
        <legend className="block text-sm font-medium text-slate-800">{t("newsletter.groups")}</legend>
        <div className="mt-2 space-y-2">
          {groups.map((g) => (
            <div key={g.id} className="flex items-center gap-2">
              <input
                id={`newsletter-group-${g.id}`}
                type="checkbox"
                name="groups"
                value={g.id}
                defaultChecked={checked.has(String(g.id))}
                aria-invalid={!!groupsError}
                className="h-4 w-4 rounded border-slate-300"
              />
              <label htmlFor={`newsletter-group-${g.id}`} className="text-sm text-slate-800">
                {g.label}
              </label>
            </div>
          ))}
        </div>
        {groupsError && (
          <p id="newsletter-groups-error" className="mt-1 text-sm text-red-700">
            {t(groupsError.key, groupsError.values)}
          </p>
        )}
      </fieldset>
      <p id="newsletter-consent" className="text-xs text-slate-600">
        {consent}
      </p>
      <SubmitButton>{t("newsletter.subscribe")}</SubmitButton>
    </form>
  );
}

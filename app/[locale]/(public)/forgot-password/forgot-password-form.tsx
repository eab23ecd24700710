"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { requestResetAction } from "./actions";
import { failedInput } from "@/lib/actions/form-state";

export function ForgotPasswordForm() {
  const t = useTranslations("passwordReset");
  const [state, formAction] = useActionState(requestResetAction, null);
  // The answer replaces the form and its button: it takes focus.
  const doneRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  const { values, errors } = failedInput(state);
  if (state?.ok) {
    return (
      <p ref={doneRef} tabIndex={-1} role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
        {t("sent")}
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} />
      <Field name="email" type="email" label={t("email")} autoComplete="email" required defaultValue={values?.email} error={errors?.email} />
      <SubmitButton>{t("request")}</SubmitButton>
    </form>
  );
}

"use client";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { PASSWORD_MIN } from "@/lib/users/schemas";
import { registerAction } from "./actions";
import { failedInput } from "@/lib/actions/form-state";

export function RegisterForm() {
  const t = useTranslations("register");
  const locale = useLocale();
  // The server action itself, so the form posts without JavaScript too. A bad address or a
  // confirmation that differs keeps both passwords as typed (keepTyped: in the browser only).
  const [state, formAction] = useActionState(registerAction, null);
  // The answer replaces the form and its button: it takes focus.
  const doneRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  const { refused, values, errors } = failedInput(state);
  if (state?.ok) {
    // The same answer whatever the address: nothing here says whether it already has an account.
    return (
      <p ref={doneRef} tabIndex={-1} role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
        {t("checkInbox", state.data)}
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="locale" value={locale} />
      <Field name="name" label={t("name")} autoComplete="name" required defaultValue={values?.name} error={errors?.name} />
      <Field name="email" type="email" label={t("email")} autoComplete="email" required defaultValue={values?.email} error={errors?.email} />
      <Field name="password" type="password" label={t("password")} hint={t("passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" required keepTyped={refused} error={errors?.password} />
      <Field name="confirmPassword" type="password" label={t("confirmPassword")} autoComplete="new-password" required keepTyped={refused} error={errors?.confirmPassword} />
      <SubmitButton>{t("submit")}</SubmitButton>
    </form>
  );
}

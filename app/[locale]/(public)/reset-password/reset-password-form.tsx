"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { PASSWORD_MIN } from "@/lib/users/schemas";
import { resetPasswordAction } from "./actions";
import { failedInput, keepingPasswords } from "@/lib/actions/form-state";

// A password too short or a confirmation that differs keeps both as typed.
const reset = keepingPasswords(resetPasswordAction);

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("passwordReset");
  const locale = useLocale();
  const [state, formAction] = useActionState(reset, null);
  // The answer replaces the form and its button: it takes focus.
  const doneRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  const { values, errors } = failedInput(state);
  if (state?.ok) {
    return (
      <p ref={doneRef} tabIndex={-1} role="status" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
        {t("done")}{" "}
        <Link href={`/${locale}/sign-in`} className="underline">
          {t("signIn")}
        </Link>
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      <Field name="password" type="password" label={t("newPassword")} hint={t("passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" required defaultValue={values?.password} error={errors?.password} />
      <Field name="confirmPassword" type="password" label={t("confirmPassword")} autoComplete="new-password" required defaultValue={values?.confirmPassword} error={errors?.confirmPassword} />
      <SubmitButton>{t("save")}</SubmitButton>
    </form>
  );
}

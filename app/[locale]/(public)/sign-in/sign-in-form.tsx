"use client";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { signInAction } from "./actions";
import { failedInput } from "@/lib/actions/form-state";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const t = useTranslations("signIn");
  const locale = useLocale();
  const [state, formAction] = useActionState(signInAction, null);
  const { values, errors } = failedInput(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="locale" value={locale} />
      {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
      <Field name="email" type="email" label={t("email")} autoComplete="username" required defaultValue={values?.email} error={errors?.email} />
      <Field name="password" type="password" label={t("password")} autoComplete="current-password" required error={errors?.password} />
      <SubmitButton>{t("submit")}</SubmitButton>
    </form>
  );
}

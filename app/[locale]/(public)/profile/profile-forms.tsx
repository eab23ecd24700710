"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { locales } from "@/lib/i18n/config";
import { PASSWORD_MIN } from "@/lib/users/schemas";
import { changePasswordAction, updateProfileAction } from "./actions";
import { failedInput } from "@/lib/actions/form-state";

export function ProfileForm({ name, locale }: { name: string; locale: string }) {
  const t = useTranslations("profile");
  const tl = useTranslations("layout.localeName");
  const [state, formAction] = useActionState(updateProfileAction, null);
  // React resets the form after a successful action, to the values the page was rendered with:
  // updateProfileAction (`refresh: true`) answers with the page rendered again, so they are the saved ones
  // (else a second save would undo the first).
  const { values, errors } = failedInput(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} success={t("saved")} />
      <Field name="name" label={t("name")} required defaultValue={values?.name ?? name} error={errors?.name} />
      <SelectField name="locale" label={t("locale")} defaultValue={values?.locale ?? locale} options={locales.map((l) => ({ value: l, label: tl(l) }))} error={errors?.locale} />
      <SubmitButton>{t("save")}</SubmitButton>
    </form>
  );
}

export function PasswordForm() {
  const t = useTranslations("profile");
  // The server action itself, so the form posts without JavaScript too. A wrong current password,
  // or a confirmation that differs, keeps all three as typed (keepTyped: in the browser only).
  const [state, formAction] = useActionState(changePasswordAction, null);
  const { refused, errors } = failedInput(state);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} success={state?.ok && state.data?.signInAgain ? t("passwordChangedSignIn") : t("passwordChanged")} />
      <Field name="currentPassword" type="password" label={t("currentPassword")} autoComplete="current-password" required keepTyped={refused} error={errors?.currentPassword} />
      <Field name="password" type="password" label={t("newPassword")} hint={t("passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" required keepTyped={refused} error={errors?.password} />
      <Field name="confirmPassword" type="password" label={t("confirmPassword")} autoComplete="new-password" required keepTyped={refused} error={errors?.confirmPassword} />
      <SubmitButton>{t("changePassword")}</SubmitButton>
    </form>
  );
}

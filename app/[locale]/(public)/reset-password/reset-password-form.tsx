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
import { failedInput } from "@/lib/actions/form-state";

/**
 * `token`: the link's, or null when it can no longer be used. Said here rather than by the page,
 * so that the answer comes first: posted without JavaScript, the page is rendered again after the
 * action, with a link the reset just used, and must still show that the password was changed.
 */
export function ResetPasswordForm({ token }: { token: string | null }) {
  const t = useTranslations("passwordReset");
  const locale = useLocale();
  // The server action itself, so the form posts without JavaScript too. A password too short or a
  // confirmation that differs keeps both as typed (keepTyped: in the browser only).
  const [state, formAction] = useActionState(resetPasswordAction, null);
  // The answer replaces the form and its button: it takes focus.
  const doneRef = useFocusOnAnswer<HTMLParagraphElement>(state);
  const { refused, errors } = failedInput(state);
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
  if (token === null) {
    return (
      <div role="alert" className="space-y-3 text-sm">
        <p className="rounded-md bg-red-50 px-3 py-2 text-red-800">{t("invalidLink")}</p>
        <Link href={`/${locale}/forgot-password`} className="text-brand-700 underline">
          {t("askAgain")}
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      <Field name="password" type="password" label={t("newPassword")} hint={t("passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" required keepTyped={refused} error={errors?.password} />
      <Field name="confirmPassword" type="password" label={t("confirmPassword")} autoComplete="new-password" required keepTyped={refused} error={errors?.confirmPassword} />
      <SubmitButton>{t("save")}</SubmitButton>
    </form>
  );
}

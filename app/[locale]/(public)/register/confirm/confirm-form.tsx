"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { failedInput } from "@/lib/actions/form-state";
import { confirmRegistrationAction } from "./actions";

export function ConfirmRegistrationForm({ token, email }: { token: string; email: string }) {
  const t = useTranslations("register.confirm");
  const locale = useLocale();
  // The server action itself, so the form posts without JavaScript too. A password that is not the
  // one chosen when registering stays as typed, to be corrected (keepTyped: in the browser only).
  const [state, formAction] = useActionState(confirmRegistrationAction, null);
  const { refused, errors } = failedInput(state);
  const failed = state && !state.ok ? state.error.key : null;
  // A link that died meanwhile (used, expired, or the address got an account) has no form left.
  if (failed === "errors.registrationLinkInvalid" || failed === "errors.registrationAccountExists") {
    const exists = failed === "errors.registrationAccountExists";
    return (
      <div className="space-y-3 text-sm">
        <FormAlert state={state} />
        <Link href={`/${locale}/${exists ? "sign-in" : "register"}`} className="text-brand-700 underline">
          {exists ? t("signIn") : t("registerAgain")}
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <p className="text-sm text-slate-600">{t("intro", { email })}</p>
      <FormAlert state={state} />
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account this password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <Field name="password" type="password" label={t("password")} autoComplete="new-password" required keepTyped={refused} error={errors?.password} />
      <SubmitButton>{t("submit")}</SubmitButton>
    </form>
  );
}

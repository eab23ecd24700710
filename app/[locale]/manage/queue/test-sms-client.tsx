"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { SmsTextField } from "@/components/sms/sms-text-field";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { sendTestSmsAction } from "./actions";
import { failedInput } from "@/lib/actions/form-state";
import type { PhoneExamples } from "@/lib/sms/phone-examples";

/** "Send a test SMS": one number and a text, queued like any SMS; the row appears in the list below. */
export function TestSmsClient({ phone }: { phone: PhoneExamples }) {
  const t = useTranslations("sms.test");
  const [state, formAction] = useActionState(sendTestSmsAction, null);
  const { values: v, errors: e } = failedInput(state);
  return (
    <details className="mb-6 rounded-lg bg-white p-4 shadow-sm" open={state ? true : undefined}>
      <summary className="cursor-pointer font-semibold">{t("title")}</summary>
      <form key={state?.ok ? JSON.stringify(state.data) : "form"} action={formAction} className="mt-3 space-y-3" noValidate>
        <FormAlert state={state} success={state?.ok ? t("queued") : undefined} />
        <Field name="to" type="tel" label={t("to")} required autoComplete="off" defaultValue={v?.to} error={e?.to} hint={t("toHint", { example: phone.example, country: phone.country, national: phone.national })} />
        <SmsTextField name="text" label={t("text")} defaultValue={v?.text ?? t("defaultText")} error={e?.text} />
        <SubmitButton>{t("send")}</SubmitButton>
      </form>
    </details>
  );
}

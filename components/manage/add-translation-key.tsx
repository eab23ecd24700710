"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { addTranslationKeyAction } from "@/app/[locale]/manage/i18n/actions";
import { failedInput } from "@/lib/actions/form-state";

export function AddTranslationKey() {
  const t = useTranslations("i18n");
  const tl = useTranslations("layout.localeName");
  const [state, formAction] = useActionState(addTranslationKeyAction, null);
  const { values: v, errors: e } = failedInput(state);
  return (
    <details className="mb-6 rounded-lg bg-white p-4 shadow-sm" open={!!v}>
      <summary className="cursor-pointer font-medium">{t("addKey")}</summary>
      <form action={formAction} className="mt-4 grid gap-3 md:grid-cols-3" noValidate>
        <div className="md:col-span-3">
          <FormAlert state={state} success={t("keyAdded")} />
        </div>
        <Field name="key" label={t("key")} hint={t("keyHint")} required defaultValue={v?.key} error={e?.key} />
        <Field name="fr" label={tl("fr")} defaultValue={v?.fr} error={e?.fr} />
        <Field name="en" label={tl("en")} defaultValue={v?.en} error={e?.en} />
        <div>
          <SubmitButton>{t("add")}</SubmitButton>
        </div>
      </form>
    </details>
  );
}

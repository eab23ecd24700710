"use client";
import { useActionState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { createGroupAction } from "./actions";
import { failedInput } from "@/lib/actions/form-state";

/** "New group": the next free number, and its label in each language. */
export function NewGroupClient({ nextId, open }: { nextId: number; open: boolean }) {
  const t = useTranslations("subscriptions.newGroup");
  const tl = useTranslations("layout.localeName");
  const locale = useLocale();
  const [state, formAction] = useActionState(createGroupAction, null);
  const { values: v, errors: e } = failedInput(state);
  return (
    <details className="mb-6 rounded-lg bg-white p-4 shadow-sm" open={open || !!v}>
      <summary className="cursor-pointer font-medium text-brand-800">{t("title")}</summary>
      <form action={formAction} className="mt-4 grid gap-3 md:grid-cols-2" noValidate>
        <p className="text-sm text-slate-600 md:col-span-2">{t("intro", { id: nextId, key: `signup_opt${nextId}` })}</p>
        <div className="md:col-span-2">
          <FormAlert state={state} />
        </div>
        <input type="hidden" name="locale" value={locale} />
        <Field name="fr" label={t("label", { language: tl("fr") })} required defaultValue={v?.fr} error={e?.fr} hint={t("hintFr")} />
        <Field name="en" label={t("label", { language: tl("en") })} required defaultValue={v?.en} error={e?.en} hint={t("hintEn")} />
        <div>
          <SubmitButton>{t("create")}</SubmitButton>
        </div>
      </form>
    </details>
  );
}

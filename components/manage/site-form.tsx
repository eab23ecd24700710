"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { SmsHoursFieldset } from "./sms-hours-fieldset";
import type { ActionResult } from "@/lib/actions/action";
import type { Site } from "@/db/schema";
import { locales } from "@/lib/i18n/config";
import { echoedChecked, failedInput } from "@/lib/actions/form-state";
import type { PhoneExamples } from "@/lib/sms/phone-examples";

/** `phone`: numbers of the site's country as saved (France for a new site, the field's default), for the hints. */
export function SiteForm({ action, site, back, timeZones, phone }: { action: (s: unknown, d: FormData) => Promise<ActionResult<unknown>>; site?: Site; back: string; timeZones: { value: string; label: string }[]; phone: PhoneExamples }) {
  const t = useTranslations("sites");
  const tl = useTranslations("layout.localeName");
  const [state, formAction] = useActionState(action, null);
  // React resets the form after a successful action, to the values the page was rendered with:
  // saveSiteAction (`refresh: true`) answers with the page rendered again, so they are the saved ones
  // (else a second save would undo the first).
  const { values: v, errors: e } = failedInput(state);
  return (
    <form action={formAction} className="max-w-xl space-y-4 rounded-lg bg-white p-6 shadow-sm" noValidate>
      <FormAlert state={state} success={t("saved")} />
      {site && <input type="hidden" name="id" value={site.id} />}
      <input type="hidden" name="back" value={back} />
      <Field name="domain" label={t("domain")} hint={t("domainHint")} required defaultValue={v?.domain ?? site?.domain} error={e?.domain} />
      <Field name="name" label={t("name")} required defaultValue={v?.name ?? site?.name} error={e?.name} />
      <SelectField name="defaultLocale" label={t("defaultLocale")} defaultValue={v?.defaultLocale ?? site?.defaultLocale ?? "fr"} options={locales.map((l) => ({ value: l, label: tl(l) }))} error={e?.defaultLocale} />
      <Field name="senderName" label={t("senderName")} defaultValue={v?.senderName ?? site?.senderName} error={e?.senderName} />
      <Field name="senderEmail" type="email" label={t("senderEmail")} defaultValue={v?.senderEmail ?? site?.senderEmail} error={e?.senderEmail} />
      <fieldset className="min-w-0 space-y-4 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">{t("smsLegend")}</legend>
        <Field name="defaultCountry" label={t("defaultCountry")} hint={t("defaultCountryHint", { country: phone.country, national: phone.national })} required defaultValue={v?.defaultCountry ?? site?.defaultCountry ?? "FR"} error={e?.defaultCountry} />
        <Field name="smsSender" label={t("smsSender")} hint={t("smsSenderHint", { prefix: phone.prefix, country: phone.country, nationalStart: phone.nationalStart })} defaultValue={v?.smsSender ?? site?.smsSender} error={e?.smsSender} />
        <Field name="smsUrl" label={t("smsUrl")} hint={t("smsUrlHint")} autoComplete="off" defaultValue={v?.smsUrl ?? site?.smsUrl ?? ""} error={e?.smsUrl} />
      </fieldset>
      <SmsHoursFieldset site={site} timeZones={timeZones} values={v} errors={e} />
      <CheckboxField name="registrationOpen" label={t("registrationOpen")} defaultChecked={echoedChecked(v, "registrationOpen", site?.registrationOpen)} />
      <CheckboxField name="isDefault" label={t("isDefault")} defaultChecked={echoedChecked(v, "isDefault", site?.isDefault)} />
      <SubmitButton>{site ? t("save") : t("create")}</SubmitButton>
    </form>
  );
}

"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions/action";
import { locales } from "@/lib/i18n/config";
import { PASSWORD_MIN } from "@/lib/users/schemas";
import { echoedChecked, failedInput } from "@/lib/actions/form-state";

type UserValues = { id?: number; name: string; email: string; locale: string; role: string; disabled?: boolean; siteId?: number };

export function UserForm(props: {
  action: (state: unknown, data: FormData) => Promise<ActionResult<unknown>>;
  user?: UserValues;
  canChangeRole: boolean;
  /** The account being edited is the editor's own: its role and "disabled" are not theirs to change. */
  self?: boolean;
  sites?: { id: number; domain: string }[];
  back: string;
}) {
  const t = useTranslations("users");
  const tl = useTranslations("layout.localeName");
  // The server action itself, so the form posts without JavaScript too. A refused form keeps both
  // passwords as typed (keepTyped: in the browser only); a saved one empties them.
  const [state, formAction] = useActionState(props.action, null);
  // React resets the form after a successful action, to the values the page was rendered with:
  // updateUserAction (`refresh: true`) sends the page rendered again with its answer, so they are
  // the saved ones (else a second save would undo the first).
  const { refused, values: v, errors: e } = failedInput(state);
  const u = props.user;
  const editing = !!u?.id;
  const roles = ["member", "admin", "superuser"] as const;
  return (
    <form action={formAction} className="max-w-xl space-y-4 rounded-lg bg-white p-6 shadow-sm" noValidate>
      <FormAlert state={state} success={t("saved")} />
      {editing && <input type="hidden" name="id" value={u.id} />}
      <input type="hidden" name="back" value={props.back} />
      <Field name="name" label={t("name")} required defaultValue={v?.name ?? u?.name} error={e?.name} />
      <Field name="email" type="email" label={t("email")} required defaultValue={v?.email ?? u?.email} error={e?.email} />
      <SelectField name="locale" label={t("locale")} defaultValue={v?.locale ?? u?.locale} options={locales.map((l) => ({ value: l, label: tl(l) }))} error={e?.locale} />
      {props.canChangeRole && !props.self ? (
        <SelectField name="role" label={t("role")} defaultValue={v?.role ?? u?.role ?? "member"} options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} error={e?.role} />
      ) : (
        <input type="hidden" name="role" value={u?.role ?? "member"} />
      )}
      {props.sites && !editing && (
        <SelectField name="siteId" label={t("site")} defaultValue={v?.siteId ?? String(u?.siteId ?? "")} options={props.sites.map((s) => ({ value: String(s.id), label: s.domain }))} />
      )}
      {/* The server refuses both on one's own account (no admin locked out by their own hand): not offered, and said why. */}
      {editing && !props.self && <CheckboxField name="disabled" label={t("disableAccount")} defaultChecked={echoedChecked(v, "disabled", u.disabled)} />}
      {props.self && <p className="text-sm text-slate-600">{t("selfHint")}</p>}
      <fieldset className="space-y-4 border-t border-slate-200 pt-4">
        <legend className="text-sm font-medium text-slate-700">{editing ? t("setPassword") : t("password")}</legend>
        <Field name="password" type="password" label={t("password")} hint={t("passwordHint", { min: PASSWORD_MIN })} autoComplete="new-password" required={!editing} keepTyped={refused} error={e?.password} />
        <Field name="confirmPassword" type="password" label={t("confirmPassword")} autoComplete="new-password" required={!editing} keepTyped={refused} error={e?.confirmPassword} />
      </fieldset>
      <SubmitButton>{editing ? t("save") : t("create")}</SubmitButton>
    </form>
  );
}

"use client";
import { useActionState, useState } from "react";
import { useTranslations } from "next-intl";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFocusOnAnswer } from "@/components/ui/use-focus-on-answer";
import { addSubscriberAction, pasteSubscribersAction } from "../actions";
import { failedInput } from "@/lib/actions/form-state";
import type { ActionResult } from "@/lib/actions/action";
import { locales, type Locale } from "@/lib/i18n/config";
import type { PhoneExamples } from "@/lib/sms/phone-examples";

const box = "space-y-3 rounded-lg bg-white p-4 shadow-sm";

type Form = "one" | "paste";
/**
 * `stale`: the other form answered since this one did, so this one's answer is history. `phone`:
 * sample numbers of the site's country, in which numbers typed nationally are read.
 */
type PanelProps = { group: number; siteLanguage: Locale; phone: PhoneExamples; stale: boolean; onAnswer: () => void };

/**
 * The group's two "add" forms. Each keeps its last answer (useActionState) across the page's
 * refresh, so an old error of one stayed on screen next to the other's success, as if it were
 * about it. Only the answer of the form used last is shown; what was typed stays in both.
 */
export function AddClients({ group, siteLanguage, phone }: { group: number; siteLanguage: Locale; phone: PhoneExamples }) {
  const [last, setLast] = useState<Form | null>(null);
  return (
    <>
      <AddOneClient group={group} siteLanguage={siteLanguage} phone={phone} stale={last === "paste"} onAnswer={() => setLast("one")} />
      <PasteClient group={group} siteLanguage={siteLanguage} phone={phone} stale={last === "one"} onAnswer={() => setLast("paste")} />
    </>
  );
}

/**
 * The language the new subscriptions read: the site's unless chosen; after an answer, the one
 * just sent (a refusal echoes it, a success hands it back), so the next addresses read it too.
 * `form` makes the select's id its own (both forms send `language`).
 */
function LanguageSelect({ form, value, siteLanguage, error }: { form: Form; value: string | undefined; siteLanguage: Locale; error?: Parameters<typeof SelectField>[0]["error"] }) {
  const t = useTranslations("subscriptions.add");
  const tl = useTranslations("layout.languageLabel");
  return <SelectField id={`${form}-language`} name="language" label={t("language")} defaultValue={value ?? siteLanguage} options={locales.map((l) => ({ value: l, label: tl(l) }))} error={error} />;
}

/** useActionState that tells the panel when the action answered. */
function usePanelAction<T>(action: (state: unknown, data: FormData) => Promise<ActionResult<T>>, onAnswer: () => void) {
  return useActionState(async (state: ActionResult<T> | null, data: FormData) => {
    const answer = await action(state, data);
    onAnswer();
    return answer;
  }, null);
}

/** One address, confirmed at once (the consent record names the administrator who added it). */
function AddOneClient({ group, siteLanguage, phone, stale, onAnswer }: PanelProps) {
  const t = useTranslations("subscriptions.add");
  const [answer, formAction] = usePanelAction(addSubscriberAction, onAnswer);
  const { values: v } = failedInput(answer);
  const state = stale ? null : answer;
  const { errors: e } = failedInput(state);
  const done = state?.ok ? t({ added: "addedOne", confirmed: "confirmedOne", phone: "phoneSet" }[state.data.outcome], { email: state.data.email, phone: state.data.phone ?? "" }) : undefined;
  return (
    <form action={formAction} className={box} noValidate aria-labelledby="add-one-title">
      <h3 id="add-one-title" className="font-semibold">{t("oneTitle")}</h3>
      <FormAlert state={state} success={done} />
      <input type="hidden" name="group" value={group} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="email" type="email" label={t("email")} required autoComplete="off" defaultValue={v?.email} error={e?.email} />
        <Field name="name" label={t("name")} autoComplete="off" defaultValue={v?.name} error={e?.name} />
        <Field name="phone" type="tel" label={t("phone")} hint={t("phoneHint", { example: phone.example, country: phone.country, national: phone.national })} autoComplete="off" defaultValue={v?.phone} error={e?.phone} />
        <LanguageSelect form="one" value={v?.language ?? (answer?.ok ? answer.data.language : undefined)} siteLanguage={siteLanguage} error={e?.language} />
      </div>
      <p className="text-xs text-slate-500">{t("oneHint")}</p>
      <SubmitButton>{t("addOne")}</SubmitButton>
    </form>
  );
}

/**
 * Many addresses at once. After adding, the box keeps only the entries that were not addresses,
 * so they can be corrected and sent again; on an error it keeps everything as typed.
 */
function PasteClient({ group, siteLanguage, phone, stale, onAnswer }: PanelProps) {
  const t = useTranslations("subscriptions.add");
  const [answer, formAction] = usePanelAction(pasteSubscribersAction, onAnswer);
  const { values: v } = failedInput(answer);
  const kept = v?.addresses ?? (answer?.ok ? answer.data.invalid.join("\n") : "");
  const state = stale ? null : answer;
  const { errors: e } = failedInput(state);
  const report = state?.ok ? state.data : null;
  // The new key below re-creates the form, its button with it, so focus falls to the page: the
  // report takes it (a refusal is FormAlert's, which sends focus to the field to correct).
  const reportRef = useFocusOnAnswer<HTMLDivElement>(state?.ok ? state : null);
  return (
    // A new key after each answer re-creates the textarea with what it should now hold.
    <form key={JSON.stringify(answer)} action={formAction} className={box} noValidate aria-labelledby="paste-title">
      <h3 id="paste-title" className="font-semibold">{t("pasteTitle")}</h3>
      <FormAlert state={state && !state.ok ? state : null} />
      {report && (
        <div ref={reportRef} tabIndex={-1} role="status" className="space-y-1 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-900">
          <p>{t("pasteDone", { added: report.added, confirmed: report.confirmed, already: report.already })}</p>
          {report.numbersAdded > 0 && <p>{t("pasteNumbersAdded", { count: report.numbersAdded })}</p>}
          {report.numbersChanged.length > 0 && <p>{t("pasteNumbersChanged", { count: report.numbersChanged.length, list: report.numbersChanged.join(", ") })}</p>}
          {report.refused.length > 0 && <p>{t("pasteRefused", { count: report.refused.length, list: report.refused.join(", ") })}</p>}
          {report.refusedNumbers.length > 0 && <p>{t("pasteRefusedNumber", { count: report.refusedNumbers.length, list: report.refusedNumbers.join(", ") })}</p>}
          {report.invalid.length > 0 && <p className="text-red-800">{t("pasteInvalid", { count: report.invalid.length, list: report.invalid.map((x) => (x.length > 80 ? `${x.slice(0, 79)}…` : x)).join(", ") })}</p>}
        </div>
      )}
      <input type="hidden" name="group" value={group} />
      <Field name="addresses" label={t("addresses")} multiline rows={5} defaultValue={kept} error={e?.addresses} hint={t("pasteHint", { example: "Ann Example <ann@example.org>", national: phone.national })} />
      <div className="max-w-xs">
        <LanguageSelect form="paste" value={v?.language ?? (answer?.ok ? answer.data.language : undefined)} siteLanguage={siteLanguage} error={e?.language} />
      </div>
      <SubmitButton>{t("paste")}</SubmitButton>
    </form>
  );
}

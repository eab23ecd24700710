"use client";
import { useActionState } from "react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { SubmitButton } from "@/components/ui/submit-button";
import { useInlineForm } from "@/components/ui/use-inline-form";
import { NoneMark } from "@/components/ui/none-mark";
import { setPhoneAction } from "../actions";

/**
 * A row's mobile number, and a small form to set, change or (left empty) remove it. Escape or
 * Cancel closes the form unsaved; focus moves into the form when it opens and back to its
 * button when it closes, so the table can be worked through with the keyboard.
 */
export function PhoneCell({ id, group, email, phone, optedOut, country }: { id: number; group: number; email: string; phone: string | null; optedOut: boolean; country: string }) {
  const t = useTranslations("subscriptions.table");
  const tr = useTranslations();
  const locale = useLocale();
  const [state, formAction] = useActionState(setPhoneAction, null);
  const { answer, open, openForm, closeForm, opener, field: input } = useInlineForm(state);

  // Stays mounted whether the form is open or not, so that the outcome is announced.
  const status = <span role="status" className="sr-only">{state?.ok && !open ? t(state.data.phone ? "phoneSaved" : "phoneRemoved", { email }) : ""}</span>;
  if (!open) {
    return (
      <>
        {status}
        {/* The number stays on one line; its badge and button go under it when the column is narrow. */}
        <div className="flex flex-wrap items-center gap-x-2">
          {phone ? <span className="whitespace-nowrap">{phone}</span> : <NoneMark label={t("none")} />}
          {phone && optedOut && (
            <Link
              href={`/${locale}/manage/subscriptions/sms-opt-outs?${new URLSearchParams({ q: phone })}`}
              title={t("smsStoppedHint")}
              className="rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900 hover:bg-amber-200"
            >
              {t("smsStopped")}
              <span className="sr-only">: {t("smsStoppedHint")}</span>
            </Link>
          )}
          <button ref={opener} type="button" onClick={openForm} aria-label={t(phone ? "phoneChangeFor" : "phoneAddFor", { email })} className="text-xs text-brand-700 underline hover:text-brand-800">
            {t(phone ? "phoneChange" : "phoneAdd")}
          </button>
        </div>
      </>
    );
  }
  const error = answer && !answer.ok ? (answer.fieldErrors?.phone ?? answer.error) : undefined;
  const field = `phone-${id}`;
  return (
    <>
      {status}
      <form
        action={formAction}
        noValidate
        onKeyDown={(e) => e.key === "Escape" && closeForm()}
        className="min-w-[13rem] max-w-[16rem] space-y-1"
      >
        <input type="hidden" name="group" value={group} />
        <input type="hidden" name="id" value={id} />
        <label htmlFor={field} className="sr-only">{t("phoneLabel", { email })}</label>
        <input
          ref={input}
          id={field}
          name="phone"
          type="tel"
          autoComplete="off"
          // After a refused number, the field shows it again as typed, to be corrected.
          defaultValue={answer && !answer.ok ? answer.values?.phone : (phone ?? "")}
          aria-invalid={!!error}
          aria-describedby={`${field}-hint${error ? ` ${field}-error` : ""}`}
          className={`block w-full rounded-md border bg-white px-2 py-1 text-sm shadow-sm ${error ? "border-red-600" : "border-slate-500 focus:border-brand-600"}`}
        />
        <p id={`${field}-hint`} className="text-xs text-slate-500">{t("phoneHint", { country })}</p>
        {error && <p id={`${field}-error`} role="alert" className="text-xs text-red-700">{tr(error.key, error.values)}</p>}
        <div className="flex items-center gap-2 pt-1">
          <SubmitButton variant="secondary">{t("phoneSave")}</SubmitButton>
          <button type="button" onClick={closeForm} className="text-sm text-slate-700 underline hover:text-slate-900">
            {t("phoneCancel")}
          </button>
        </div>
      </form>
    </>
  );
}

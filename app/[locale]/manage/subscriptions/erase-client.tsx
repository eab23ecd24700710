"use client";
import { useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { EraseDialog } from "@/components/subscriptions/erase-dialog";
import { isEmail, normalizeEmail } from "@/lib/newsletters/addresses";

/** "Erase a person" by address, for a request that names an address rather than a group's row. */
export function EraseClient() {
  const t = useTranslations("subscriptions.erase");
  const tr = useTranslations();
  const [typed, setTyped] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  return (
    <details className="mb-6 rounded-lg bg-white p-4 shadow-sm">
      <summary className="cursor-pointer font-medium text-brand-800">{t("formTitle")}</summary>
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const address = typed.trim();
          if (!address) return;
          // A typo is said beside the field, before the irreversible erasure is confirmed: the
          // action's refusal came only after "Erase", as a notice below the form.
          if (!isEmail(normalizeEmail(address))) {
            setInvalid(true);
            field.current?.focus();
            return;
          }
          setInvalid(false);
          setAsked(address);
        }}
      >
        <p id="erase-hint" className="w-full text-sm text-slate-600">{t("formHint")}</p>
        <label className="text-sm">
          <span className="block font-medium text-slate-800">{t("email")}</span>
          <input
            ref={field}
            type="email"
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
              setInvalid(false);
            }}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? "erase-error erase-hint" : "erase-hint"}
            autoComplete="off"
            className={`mt-1 block w-72 max-w-full rounded-md border px-2 py-1.5 text-sm shadow-sm ${invalid ? "border-red-600" : "border-slate-500"}`}
          />
        </label>
        <button type="submit" disabled={!typed.trim()} className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50">
          {t("open")}
        </button>
        {invalid && (
          <p id="erase-error" className="w-full text-sm text-red-700">
            {tr("errors.email")}
          </p>
        )}
      </form>
      <EraseDialog email={asked} onClose={() => setAsked(null)} />
    </details>
  );
}

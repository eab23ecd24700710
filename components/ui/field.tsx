"use client";
import { useTranslations } from "next-intl";
import type { Msg } from "@/lib/actions/errors";

type Props = {
  name: string;
  label: string;
  error?: Msg;
  hint?: string;
  defaultValue?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  multiline?: boolean;
  rows?: number;
};

/** A labelled input whose error is announced and tied to it (aria-describedby). */
export function Field({ name, label, error, hint, multiline, rows = 3, ...input }: Props) {
  const t = useTranslations();
  const id = `field-${name}`;
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const className =
    "mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm " +
    (error ? "border-red-600" : "border-slate-500 focus:border-brand-600");
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {multiline ? (
        <textarea id={id} name={name} rows={rows} aria-invalid={!!error} aria-describedby={described} className={className} defaultValue={input.defaultValue} required={input.required} />
      ) : (
        <input id={id} name={name} aria-invalid={!!error} aria-describedby={described} className={className} {...input} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 break-words text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {t(error.key, error.values)}
        </p>
      )}
    </div>
  );
}

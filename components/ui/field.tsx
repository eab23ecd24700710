"use client";
import { useEffect, useLayoutEffect, useRef } from "react";
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
      ) : input.type === "password" ? (
        <PasswordInput id={id} name={name} aria-invalid={!!error} aria-describedby={described} className={className} {...input} />
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

/**
 * A password input given back its value after a refused answer (keepingPasswords) without
 * `defaultValue`, which React writes into the `value` attribute: the password would sit in the
 * page's markup (saved pages, DOM recorders, attribute selectors). React resets a form after its
 * action, in the commit that shows the answer; the value is put back just after that reset, from
 * the answer being shown (none after a success: the field stays empty).
 */
function PasswordInput({ defaultValue, ...props }: React.ComponentProps<"input">) {
  const ref = useRef<HTMLInputElement>(null);
  const kept = useRef(defaultValue);
  // Updated in the commit's layout phase, after the reset (mutation phase), before the microtask.
  useLayoutEffect(() => {
    kept.current = defaultValue;
  });
  useEffect(() => {
    const input = ref.current;
    const form = input?.form;
    if (!input || !form) return;
    if (typeof kept.current === "string") input.value = kept.current; // a form shown with a value already
    const putBack = () => queueMicrotask(() => (input.value = typeof kept.current === "string" ? kept.current : ""));
    form.addEventListener("reset", putBack);
    return () => form.removeEventListener("reset", putBack);
  }, []);
  return <input ref={ref} {...props} />;
}

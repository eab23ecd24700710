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
  /**
   * A password field: the answer shown is a refusal (failedInput's `refused`), so what was typed
   * stays in the field. Never `defaultValue`: a password field takes none (PasswordInput).
   */
  keepTyped?: boolean;
};

/** A labelled input whose error is announced and tied to it (aria-describedby). */
export function Field({ name, label, error, hint, multiline, rows = 3, keepTyped, ...input }: Props) {
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
        <PasswordInput id={id} name={name} aria-invalid={!!error} aria-describedby={described} className={className} type="password" required={input.required} autoComplete={input.autoComplete} keepTyped={keepTyped} />
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
 * A password input that keeps what was typed in it when the form is refused (`keepTyped`). React
 * resets a form once its action answers, in the commit that shows the answer, whatever the answer;
 * and the server never sends a password back (echoValues), so every password field would come back
 * empty for one wrong field. The reset event comes before the fields are reset: the value is read
 * from the field then, and put back just after the reset when the answer shown is a refusal (after
 * a success the field stays empty). It stays in the browser, never in the page's markup: no
 * `defaultValue`, which React writes into the `value` attribute (saved pages, DOM recorders,
 * attribute selectors). The form's action stays the server action itself, so without JavaScript
 * it still posts; the page then comes back with its password fields empty.
 */
function PasswordInput({ keepTyped, ...props }: Omit<React.ComponentProps<"input">, "defaultValue" | "value"> & { keepTyped?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const keep = useRef(keepTyped);
  // Updated in the commit's layout phase, after the reset (mutation phase), before the microtask.
  useLayoutEffect(() => {
    keep.current = keepTyped;
  });
  useEffect(() => {
    const input = ref.current;
    const form = input?.form;
    if (!input || !form) return;
    const holdAcrossReset = () => {
      const typed = input.value;
      queueMicrotask(() => {
        if (keep.current) input.value = typed;
      });
    };
    form.addEventListener("reset", holdAcrossReset);
    return () => form.removeEventListener("reset", holdAcrossReset);
  }, []);
  return <input ref={ref} {...props} />;
}

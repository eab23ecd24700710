"use client";
import { forwardRef } from "react";
import { useTranslations } from "next-intl";
import type { Msg } from "@/lib/actions/errors";

type Props = {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: Msg;
  hint?: React.ReactNode;
  maxLength?: number;
  type?: string;
  placeholder?: string;
  required?: boolean;
  rows?: number;
  mono?: boolean;
  onFocus?: () => void;
  autoComplete?: string;
};

/** Like ui/Field, but controlled: the editor keeps every value in its own state. */
export const TextField = forwardRef<HTMLInputElement | HTMLTextAreaElement, Props>(function TextField(props, ref) {
  const t = useTranslations();
  const id = `field-${props.name}`;
  const described = [props.error ? `${id}-error` : null, props.hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  const className =
    `mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-600 ${props.mono ? "font-mono" : ""} ` +
    (props.error ? "border-red-600" : "border-slate-500 focus:border-brand-600");
  const common = {
    id,
    name: props.name,
    value: props.value,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    required: props.required,
    onFocus: props.onFocus,
    "aria-invalid": !!props.error,
    "aria-describedby": described,
    className,
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      {props.rows ? (
        <textarea {...common} ref={ref as React.Ref<HTMLTextAreaElement>} rows={props.rows} spellCheck={!props.mono} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} ref={ref as React.Ref<HTMLInputElement>} type={props.type ?? "text"} autoComplete={props.autoComplete ?? "off"} onChange={(e) => props.onChange(e.target.value)} />
      )}
      {props.hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {t(props.error.key, props.error.values)}
        </p>
      )}
    </div>
  );
});

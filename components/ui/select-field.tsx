"use client";
import { useTranslations } from "next-intl";
import type { Msg } from "@/lib/actions/errors";

/** A labelled select; `id` (default `field-<name>`) for a page with two forms using one name. */
export function SelectField(props: {
  id?: string;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  defaultValue?: string;
  error?: Msg;
  disabled?: boolean;
}) {
  const t = useTranslations();
  const id = props.id ?? `field-${props.name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <select
        // React 19 resets a form after its action; a select only takes a new defaultValue when
        // remounted, so the key keeps what the person chose after a failed submit.
        key={props.defaultValue}
        id={id}
        name={props.name}
        defaultValue={props.defaultValue}
        disabled={props.disabled}
        aria-invalid={!!props.error}
        aria-describedby={props.error ? `${id}-error` : undefined}
        className="mt-1 block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm"
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {t(props.error.key, props.error.values)}
        </p>
      )}
    </div>
  );
}

"use client";
import { useTranslations } from "next-intl";
import type { Msg } from "@/lib/actions/errors";

export function CheckboxField(props: {
  name: string;
  label: string;
  defaultChecked?: boolean;
  disabled?: boolean;
  error?: Msg;
  /** The id of a note about this box, read with it. */
  describedBy?: string;
  onChange?: (checked: boolean) => void;
}) {
  const t = useTranslations();
  const id = `field-${props.name}`;
  const described = [props.error ? `${id}-error` : null, props.describedBy].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <div className="flex items-start gap-2">
        {/* an unchecked box sends nothing: the hidden field makes "off" explicit */}
        <input type="hidden" name={props.name} value="off" />
        <input
          id={id}
          type="checkbox"
          name={props.name}
          value="on"
          defaultChecked={props.defaultChecked}
          disabled={props.disabled}
          onChange={props.onChange && ((e) => props.onChange!(e.target.checked))}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={described}
          className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300"
        />
        <label htmlFor={id} className="text-sm text-slate-800">
          {props.label}
        </label>
      </div>
      {props.error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {t(props.error.key, props.error.values)}
        </p>
      )}
    </div>
  );
}

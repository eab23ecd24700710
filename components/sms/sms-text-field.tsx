"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import type { Msg } from "@/lib/actions/errors";
import { firstNonGsm7, SMS_TEXT_MAX, smsSegments } from "@/lib/sms/segments";

/**
 * An SMS text box with a live count: operators bill per segment, and one accented or emoji
 * character switches the whole text to UCS-2 (70 characters instead of 160), so the person
 * sees the cost change as they type.
 */
export function SmsTextField({
  name,
  label,
  defaultValue = "",
  value,
  error,
  rows = 4,
  onTextChange,
  sent,
  id: givenId,
  autoFocus,
  ref,
}: {
  name: string;
  /** The textarea's id, when several fields of the same name share a page (default field-<name>). */
  id?: string;
  autoFocus?: boolean;
  label: string;
  /** Its text when the caller keeps it (an editor inserting placeholders); else its own, from `defaultValue`. */
  value?: string;
  defaultValue?: string;
  error?: Msg;
  ref?: React.Ref<HTMLTextAreaElement>;
  rows?: number;
  /** Told of every change (an editor's draft, preview and placeholder check follow the text). */
  onTextChange?: (text: string) => void;
  /**
   * The text as a recipient gets it, when it differs (a template's placeholders filled for the
   * preview): what is billed is counted, not `{{name}}` with its braces (two units each).
   */
  sent?: string;
}) {
  const t = useTranslations();
  const ts = useTranslations("sms");
  const [own, setOwn] = useState(defaultValue);
  const text = value ?? own;
  const counted = sent ?? text;
  const count = smsSegments(counted);
  const unicode = count.encoding === "UCS-2" ? firstNonGsm7(counted) : null;
  const id = givenId ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      <textarea
        ref={ref}
        id={id}
        name={name}
        rows={rows}
        autoFocus={autoFocus}
        value={text}
        onChange={(e) => {
          setOwn(e.target.value);
          onTextChange?.(e.target.value);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-count${error ? ` ${id}-error` : ""}`}
        className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm ${error ? "border-red-600" : "border-slate-500 focus:border-brand-600"}`}
      />
      <p id={`${id}-count`} aria-live="polite" className="mt-1 text-xs text-slate-600" data-testid="sms-count">
        {ts("count", { units: count.units, segments: count.segments, encoding: count.encoding, remaining: count.remaining })}
        {sent !== undefined && sent !== text && ` ${ts("countedAsSent")}`}
        {unicode && <span className="block">{ts("whyUcs2", { char: unicode === "\n" ? "↵" : unicode })}</span>}
        {text.length > SMS_TEXT_MAX && <span className="block font-medium text-red-800">{ts("tooLong", { length: text.length, max: SMS_TEXT_MAX })}</span>}
      </p>
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-800">{t(error.key, error.values)}</p>
      )}
    </div>
  );
}

"use client";
import { useTranslations } from "next-intl";
import { smsSegments } from "@/lib/sms/segments";

/**
 * An SMS as its recipient gets it: from the site's SMS sender (none: the account's own), to the number, the text with its
 * placeholders filled, and what it costs in segments (the filled text is what is billed, so a
 * long name can add one).
 */
export function SmsPreview({ from, to, text }: { from: string; to: string; text: string }) {
  const t = useTranslations("templates.preview");
  const count = smsSegments(text);
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="font-medium text-slate-600">{t("from")}</dt>
        <dd className="min-w-0 break-words">{from || <span className="text-slate-500">{t("defaultSender")}</span>}</dd>
        <dt className="font-medium text-slate-600">{t("to")}</dt>
        <dd className="min-w-0 break-words">{to}</dd>
      </dl>
      {text ? (
        <p className="max-w-sm whitespace-pre-wrap break-words rounded-2xl rounded-bl-sm bg-slate-100 px-4 py-3 text-sm text-slate-900" data-testid="sms-preview">{text}</p>
      ) : (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">{t("noSms")}</p>
      )}
      <p className="text-xs text-slate-600" aria-live="polite">
        {t("smsSegments", { segments: count.segments, encoding: count.encoding, units: count.units })}
      </p>
    </div>
  );
}

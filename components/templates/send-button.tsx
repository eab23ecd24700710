"use client";
import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import type { TemplateChannel } from "@/db/schema";
import type { Msg } from "@/lib/actions/errors";
import { isLocale } from "@/lib/i18n/config";
import { countSendAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";
import { LocalDateTime } from "./local-time";
import type { SendPreview } from "@/lib/newsletters/send";
import { newSendRequestKey } from "@/lib/newsletters/send-request-key";
import { describeDays } from "@/lib/sms/sms-hours";
import { windowStateWith } from "@/lib/sms/window";
import { dateTimeInput, fromDateTimeInput } from "@/lib/time-zone";

type Dialog = {
  count: number | null;
  segments?: number | null;
  hours?: SendPreview["hours"];
  opensAt?: string | null;
  readers?: string | null;
  recent?: SendPreview["recent"];
  error?: Msg;
  min: string;
  /** Sent with every confirmation of this opening of the dialog: the server makes one send of it. */
  requestKey: string;
};

/**
 * When a group SMS scheduled at `at` will really leave, if the site's hours are closed then
 * (worked out here, with the holidays the server sent); else null.
 */
function leavesAt(hours: NonNullable<SendPreview["hours"]>, at: Date): Date | null {
  if (Number.isNaN(at.getTime())) return null;
  const holidays = new Set(hours.holidays);
  const state = windowStateWith(hours, at, (_country, day) => holidays.has(day));
  return state.open ? null : state.opensAt;
}

/**
 * "Send": asks the server how many distinct confirmed recipients the template has now (nothing
 * is queued), then sends at once or schedules. The time is typed in the site's zone, the one
 * every date in Manage is shown in (so the send report shows what was typed), and sent as UTC.
 */
export function SendButton({ templateId, name, disabled, size = "md", channel = "email" }: { templateId: number; name?: string; disabled?: boolean; size?: "sm" | "md"; channel?: TemplateChannel }) {
  const t = useTranslations("templates.send");
  const tr = useTranslations();
  const language = useTranslations("layout.languageName");
  const locale = useLocale();
  const zone = useTimeZone() ?? "UTC";
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [when, setWhen] = useState<"now" | "later">("now");
  const [at, setAt] = useState("");
  const [atError, setAtError] = useState<Msg | undefined>();
  const atField = useRef<HTMLInputElement>(null);
  const [busy, startBusy] = useTransition();
  // A refused time puts focus on the field to correct (each refusal is a new object, so a second
  // one focuses it again).
  useEffect(() => {
    if (atError) atField.current?.focus();
  }, [atError]);

  const open = () => {
    const min = dateTimeInput(new Date(Date.now() + 5 * 60_000), zone);
    setDialog({ count: null, min, requestKey: newSendRequestKey() });
    setWhen("now");
    setAt("");
    setAtError(undefined);
    startBusy(async () => {
      const result = await safeAction(countSendAction, { id: templateId });
      setDialog((d) => d && (result.ok ? { ...d, ...result.data } : { ...d, count: 0, error: result.error }));
    });
  };
  // The confirm button is disabled while a confirmation is pending (busy). Pressing it again after
  // an error ("try again") sends the same key: if the first one went through and only its answer
  // was lost, the server answers with that send instead of sending everything a second time.
  const confirm = () => {
    const date = at ? fromDateTimeInput(at, zone) : null;
    const scheduledAt = when === "later" ? (date && !Number.isNaN(date.getTime()) ? date.toISOString() : at) : undefined;
    const requestKey = dialog?.requestKey;
    startBusy(async () => {
      const result = await safeAction(sendTemplateAction, { id: templateId, when, scheduledAt, requestKey });
      if (result.ok) {
        setDialog(null);
        router.push(`/${locale}/manage/templates/sends/${result.data.sendId}?sent=${result.data.status}`);
        return;
      }
      if (result.fieldErrors?.scheduledAt) return setAtError(result.fieldErrors.scheduledAt);
      setDialog((d) => d && { ...d, error: result.error });
    });
  };

  const hoursValues = (h: NonNullable<SendPreview["hours"]>) => ({
    from: h.from,
    to: h.to,
    timeZone: h.timeZone,
    // "Europe/Paris" reads "Paris time"; "America/Argentina/Buenos_Aires", "Buenos Aires time".
    city: h.timeZone.split("/").pop()!.replace(/_/g, " "),
    days: describeDays(h.days, locale),
    holidays: h.skipHolidays ? "skip" : "send",
  });
  const scheduledLeaves = dialog?.hours && at ? leavesAt(dialog.hours, fromDateTimeInput(at, zone)) : null;
  const counted = dialog?.count !== null && dialog?.count !== undefined && !dialog.error;
  const canConfirm = counted && (dialog!.count! > 0 || when === "later");
  const small = size === "sm" ? "px-3 py-1.5" : "px-4 py-2";
  return (
    <>
      <button type="button" onClick={open} disabled={disabled} aria-label={name ? t("buttonNamed", { name }) : undefined} className={`rounded-md bg-brand-700 text-sm font-medium text-white hover:bg-brand-800 disabled:cursor-not-allowed disabled:opacity-50 ${small}`}>
        {t("button")}
      </button>
      <ConfirmDialog
        open={dialog !== null}
        title={t("title")}
        confirmLabel={when === "now" ? t("confirmNow") : t("confirmLater")}
        cancelLabel={t("close")}
        canConfirm={canConfirm}
        busy={busy}
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        {dialog?.error ? (
          <p className="text-red-800">{tr(dialog.error.key, dialog.error.values)}</p>
        ) : !counted ? (
          <p>{t("counting")}</p>
        ) : (
          <div className="space-y-3">
            <p className="text-base">{t(channel === "sms" ? "countSms" : "count", { count: dialog!.count! })}</p>
            {channel === "sms" && dialog!.count! > 0 && typeof dialog!.segments === "number" && <p>{t("segmentsSms", { segments: dialog!.segments })}</p>}
            {dialog!.recent && (
              <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
                {t.rich(dialog!.recent.scheduled ? "recentScheduled" : "recentSent", {
                  who: dialog!.recent.by ?? "",
                  known: dialog!.recent.by ? "yes" : "no",
                  when: () => <LocalDateTime value={dialog!.recent!.at} />,
                  report: (chunks) => <Link href={`/${locale}/manage/templates/sends/${dialog!.recent!.id}`} className="underline">{chunks}</Link>,
                })}
              </p>
            )}
            {dialog!.readers && isLocale(dialog!.readers) && <p>{t("readersOnly", { language: language(dialog!.readers) })}</p>}
            {dialog!.count === 0 && <p className="text-amber-800">{t(channel === "sms" ? "nobodySms" : "nobody")}</p>}
            {dialog!.hours && (
              <p className={dialog!.opensAt && when === "now" ? "text-amber-900" : "text-slate-700"}>
                {dialog!.opensAt && when === "now"
                  ? t.rich("hoursClosed", { ...hoursValues(dialog!.hours), when: () => <LocalDateTime value={dialog!.opensAt!} style="full" nameZone /> })
                  : t("hoursNote", hoursValues(dialog!.hours))}
              </p>
            )}
            {when === "later" && scheduledLeaves && (
              <p className="text-amber-900">{t.rich("laterClosed", { when: () => <LocalDateTime value={scheduledLeaves} style="full" nameZone /> })}</p>
            )}
            <fieldset className="space-y-2">
              <legend className="sr-only">{t("whenLegend")}</legend>
              <label className="flex items-center gap-2">
                <input type="radio" name="when" value="now" checked={when === "now"} onChange={() => setWhen("now")} className="h-4 w-4" />
                {t("now")}
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="when" value="later" checked={when === "later"} onChange={() => setWhen("later")} className="h-4 w-4" />
                {t("later")}
              </label>
            </fieldset>
            {when === "later" && (
              <div>
                <label htmlFor="send-at" className="block font-medium text-slate-800">{t("at")}</label>
                <input
                  ref={atField}
                  id="send-at"
                  type="datetime-local"
                  value={at}
                  min={dialog!.min}
                  onChange={(e) => setAt(e.target.value)}
                  aria-invalid={!!atError}
                  aria-describedby={`send-at-hint${atError ? " send-at-error" : ""}`}
                  className={`mt-1 block w-full rounded-md border px-3 py-2 ${atError ? "border-red-600" : "border-slate-500"}`}
                />
                <p id="send-at-hint" className="mt-1 text-xs text-slate-600">{t("zoneHint", { zone })}</p>
                {atError && <p id="send-at-error" className="mt-1 text-red-700">{tr(atError.key, atError.values)}</p>}
              </div>
            )}
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}

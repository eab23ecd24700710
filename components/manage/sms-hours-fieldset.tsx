"use client";
import { useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import type { Msg } from "@/lib/actions/errors";
import type { Site } from "@/db/schema";
import { FRENCH_SMS_HOURS, weekdayName } from "@/lib/sms/sms-hours";
import { echoedChecked } from "@/lib/actions/form-state";

const OFF_NOTE = "sms-hours-off-note";

/**
 * A site's SMS sending hours: group SMS only between two times, on some days, not on holidays,
 * read in the site's time zone. Shows what was typed after a failed save (`values`). The hours
 * stay editable (and are kept) while turned off; a sentence says they are not applied then,
 * rather than dimming them, which took their text below readable contrast (4.5:1) while they
 * could still be changed. `timeZones` come from the server, so the page and its hydration list
 * the same ones.
 */
export function SmsHoursFieldset({ site, timeZones, values: v, errors: e }: { site?: Site; timeZones: { value: string; label: string }[]; values?: Record<string, string>; errors?: Record<string, Msg> }) {
  const t = useTranslations("sites.smsHours");
  const tr = useTranslations();
  const locale = useLocale();
  const hours = site?.smsHours ?? FRENCH_SMS_HOURS;
  const initiallyOn = echoedChecked(v, "smsHoursOn", site?.smsHours?.on);
  const [on, setOn] = useState(initiallyOn);
  const days = v ? (v.smsDays ?? "").split("\n").filter(Boolean).map(Number) : hours.days;
  const zone = v?.timeZone ?? site?.timeZone ?? "Europe/Paris";
  // A zone stored or typed that this list lacks stays choosable (and is refused on save if unknown).
  const zones = timeZones.some((z) => z.value === zone) ? timeZones : [{ value: zone, label: zone }, ...timeZones];
  return (
    <fieldset className="min-w-0 space-y-4 rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold">{t("legend")}</legend>
      <p className="text-xs text-slate-600">{t("hint")}</p>
      <CheckboxField key={`on-${initiallyOn}`} name="smsHoursOn" label={t("on")} defaultChecked={initiallyOn} onChange={setOn} describedBy={on ? undefined : OFF_NOTE} />
      {!on && (
        <p id={OFF_NOTE} className="text-sm text-slate-700">
          {t("offNote")}
        </p>
      )}
      <div role="group" aria-describedby={on ? undefined : OFF_NOTE} className="space-y-4">
        <div className="grid grid-cols-2 gap-4">
          <Field name="smsHoursFrom" type="time" label={t("from")} defaultValue={v?.smsHoursFrom ?? hours.from} error={e?.smsHoursFrom} />
          <Field name="smsHoursTo" type="time" label={t("to")} defaultValue={v?.smsHoursTo ?? hours.to} error={e?.smsHoursTo} />
        </div>
        <fieldset className="min-w-0">
          <legend className="text-sm font-medium text-slate-800">{t("days")}</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <label key={`${d}-${days.includes(d)}`} className="flex items-center gap-1.5 text-sm text-slate-800">
                <input
                  type="checkbox"
                  name="smsDays"
                  value={d}
                  defaultChecked={days.includes(d)}
                  aria-invalid={e?.smsDays ? true : undefined}
                  aria-describedby={e?.smsDays ? "field-smsDays-error" : undefined}
                  className="h-4 w-4 rounded border-slate-300"
                />
                {weekdayName(locale, d)}
              </label>
            ))}
          </div>
          {e?.smsDays && (
            <p id="field-smsDays-error" className="mt-1 text-sm text-red-700">
              {tr(e.smsDays.key, e.smsDays.values)}
            </p>
          )}
        </fieldset>
        <CheckboxField
          key={`holidays-${echoedChecked(v, "smsSkipHolidays", hours.skipHolidays)}`}
          name="smsSkipHolidays"
          label={t("skipHolidays")}
          defaultChecked={echoedChecked(v, "smsSkipHolidays", hours.skipHolidays)}
          error={e?.smsSkipHolidays}
        />
      </div>
      <SelectField name="timeZone" label={t("timeZone")} defaultValue={zone} options={zones} error={e?.timeZone} />
    </fieldset>
  );
}

"use client";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import type { TemplateChannel } from "@/db/schema";
import type { Msg } from "@/lib/actions/errors";
import { isLocale, locales } from "@/lib/i18n/config";
import { parseAddressList } from "@/lib/newsletters/addresses";
import { TextField } from "./text-field";

export type GroupOption = { id: number; label: string };

/**
 * Recipients: subscriber groups (checkboxes) and/or a pasted list of addresses, or of mobile
 * numbers for an SMS template. Numbers are checked when the template is saved: the phone
 * metadata that validates them is too large to load in the browser for a live count.
 */
export function RecipientsFieldset(props: {
  channel?: TemplateChannel;
  /** The site's country, by name: national numbers are read in it. */
  countryName?: string;
  groups: GroupOption[];
  groupIds: number[];
  /** Only the groups' subscribers reading this language ("": every language). */
  audienceLocale: string;
  /** The site's language: what a subscriber whose language is unknown reads. */
  siteLocale: string;
  pasted: string;
  maxPasted: number;
  errors?: Record<string, Msg>;
  onGroups: (ids: number[]) => void;
  onAudienceLocale: (locale: string) => void;
  onPasted: (value: string) => void;
}) {
  const t = useTranslations("templates.editor");
  const tr = useTranslations();
  const language = useTranslations("layout.languageName");
  const locale = useLocale();
  const sms = props.channel === "sms";
  const { valid, invalid } = sms ? { valid: [], invalid: [] } : parseAddressList(props.pasted);
  const toggle = (id: number, on: boolean) => props.onGroups(on ? [...props.groupIds, id].sort((a, b) => a - b) : props.groupIds.filter((g) => g !== id));
  // A group that no longer has a label stays listed while the template still points at it.
  const orphans = props.groupIds.filter((id) => !props.groups.some((g) => g.id === id)).map((id) => ({ id, label: t("groupGone", { id }) }));
  const options = [...props.groups, ...orphans];
  const groupError = props.errors?.groupIds;
  return (
    <fieldset className="space-y-4 border-t border-slate-200 pt-4">
      <legend className="text-base font-semibold text-slate-900">{t("recipients")}</legend>
      <div role="group" aria-labelledby="groups-label" aria-describedby={groupError ? "groups-error" : undefined}>
        <p id="groups-label" className="text-sm font-medium text-slate-800">{sms ? t("groupsSms") : t("groups")}</p>
        {options.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">
            {t.rich("noGroups", { link: (chunks) => <Link href={`/${locale}/manage/i18n`} className="text-brand-700 underline">{chunks}</Link> })}
          </p>
        ) : (
          <ul className="mt-1 grid gap-1 sm:grid-cols-2">
            {options.map((g) => (
              <li key={g.id} className="flex items-center gap-2">
                <input
                  id={`group-${g.id}`}
                  type="checkbox"
                  name="groupIds"
                  value={g.id}
                  checked={props.groupIds.includes(g.id)}
                  onChange={(e) => toggle(g.id, e.target.checked)}
                  className="h-4 w-4 rounded border-slate-300"
                />
                <label htmlFor={`group-${g.id}`} className="text-sm text-slate-800">{g.label}</label>
              </li>
            ))}
          </ul>
        )}
        {groupError && <p id="groups-error" className="mt-1 text-sm text-red-700">{tr(groupError.key, groupError.values)}</p>}
      </div>
      <div>
        <label htmlFor="field-audienceLocale" className="block text-sm font-medium text-slate-800">{t("readers")}</label>
        <select
          id="field-audienceLocale"
          name="audienceLocale"
          value={props.audienceLocale}
          onChange={(e) => props.onAudienceLocale(e.target.value)}
          aria-describedby="field-audienceLocale-hint"
          className="mt-1 block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm sm:w-auto"
        >
          <option value="">{t("readersAll")}</option>
          {locales.map((l) => (
            <option key={l} value={l}>{t("readersOnly", { language: language(l) })}</option>
          ))}
        </select>
        <p id="field-audienceLocale-hint" className="mt-1 text-xs text-slate-600">
          {t("readersHint", { site: isLocale(props.siteLocale) ? language(props.siteLocale) : props.siteLocale })}
        </p>
      </div>
      <TextField
        name="pastedRecipients"
        label={sms ? t("pastedSms") : t("pasted")}
        rows={4}
        mono
        value={props.pasted}
        maxLength={props.maxPasted}
        onChange={props.onPasted}
        error={props.errors?.pastedRecipients}
        hint={
          sms ? (
            t("pastedSmsHint", { country: props.countryName ?? "" })
          ) : (
            <span aria-live="polite">
              {t("pastedHint")} {props.pasted.trim() && t("pastedCount", { count: valid.length })}{" "}
              {invalid.length > 0 && <span className="text-amber-800">{t("pastedInvalid", { count: invalid.length, list: invalid.slice(0, 3).join(", ") })}</span>}
            </span>
          )
        }
      />
    </fieldset>
  );
}

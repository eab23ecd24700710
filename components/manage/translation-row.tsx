"use client";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { failedInput } from "@/lib/actions/form-state";
import type { CatalogEntry } from "@/lib/i18n/catalog";
import { locales } from "@/lib/i18n/config";

/** One key: each locale's effective value, editable; the file's value shown when overridden. */
export function TranslationRow({ entry }: { entry: CatalogEntry }) {
  const t = useTranslations("i18n");
  const tl = useTranslations("layout.localeName");
  const tAll = useTranslations();
  const [state, formAction] = useActionState(saveTranslationAction, null);
  // A refused text comes back as typed, with its error under it.
  const { values: typed, errors } = failedInput(state);
  const slug = entry.key.replace(/[^A-Za-z0-9_-]/g, "-");
  return (
    <li className="rounded-lg bg-white p-4 shadow-sm">
      <form action={formAction} className="space-y-3" aria-labelledby={`key-${slug}`}>
        <div className="flex flex-wrap items-center gap-2">
          <code id={`key-${slug}`} className="break-all text-sm font-semibold text-slate-900">{entry.key}</code>
          {entry.custom && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">{t("customBadge")}</span>}
        </div>
        <input type="hidden" name="key" value={entry.key} />
        <div className="grid gap-3 md:grid-cols-2">
          {locales.map((l) => {
            const overridden = entry.override[l] !== undefined;
            const id = `value-${slug}-${l}`;
            // A stored text the pages do not use shows why, as a refused one would.
            const error = errors?.[l] ?? entry.problems?.[l];
            const fileValue = overridden ? entry.file[l] : undefined;
            const described = [error ? `${id}-error` : null, fileValue !== undefined ? `${id}-file` : null].filter(Boolean).join(" ") || undefined;
            return (
              <div key={l}>
                <label htmlFor={id} className="flex items-center gap-2 text-xs font-medium text-slate-600">
                  {tl(l)}
                  {overridden && <span className="rounded bg-brand-100 px-1.5 py-0.5 text-brand-800">{t("overridden")}</span>}
                </label>
                <textarea
                  id={id}
                  name={l}
                  rows={2}
                  // Each box holds one language's text, whatever the page's: read and spell-checked in it.
                  lang={l}
                  defaultValue={typed?.[l] ?? entry.override[l] ?? entry.file[l] ?? ""}
                  aria-invalid={!!error}
                  aria-describedby={described}
                  className={`mt-1 block w-full rounded-md border px-2 py-1 text-sm ${error ? "border-red-600" : "border-slate-500"}`}
                />
                {error && (
                  <p id={`${id}-error`} className="mt-1 text-xs text-red-700">{tAll(error.key, error.values)}</p>
                )}
                {fileValue !== undefined && (
                  <p id={`${id}-file`} className="mt-1 break-words text-xs text-slate-500">{t("fileValue", { value: fileValue })}</p>
                )}
              </div>
            );
          })}
        </div>
        <div className="flex items-center gap-3">
          <SubmitButton variant="secondary">{t("save")}</SubmitButton>
          <FormAlert state={state} success={t("saved")} />
        </div>
      </form>
    </li>
  );
}

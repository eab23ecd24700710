"use client";
import { useTranslations } from "next-intl";
import type { TemplateChannel } from "@/db/schema";
import { placeholdersFor } from "@/lib/newsletters/placeholders";

/**
 * The placeholders a template may use, each with what it becomes. A click inserts it where the
 * cursor was in the subject, the HTML or the text part (the HTML when none had focus yet); an
 * SMS template has its text only, and its own list.
 */
export function PlaceholderList({ target, onInsert, channel = "email" }: { target: "subject" | "html" | "text"; onInsert: (token: string) => void; channel?: TemplateChannel }) {
  const t = useTranslations("templates.placeholders");
  const field = t(channel === "sms" ? "field.sms" : `field.${target}`);
  return (
    <section aria-labelledby="placeholders-title" className="rounded-lg bg-white p-4 shadow-sm">
      <h2 id="placeholders-title" className="text-base font-semibold">{t("title")}</h2>
      <p className="mt-1 text-xs text-slate-600">{t("intro", { field })}</p>
      <ul className="mt-3 space-y-2">
        {placeholdersFor(channel).map((name) => (
          <li key={name} className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
            <button
              type="button"
              onClick={() => onInsert(`{{${name}}}`)}
              aria-label={t("insert", { token: `{{${name}}}`, field })}
              className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-900 hover:border-brand-600 hover:bg-brand-50"
            >
              {`{{${name}}}`}
            </button>
            <span className="text-sm text-slate-700">{t(`describe.${name}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

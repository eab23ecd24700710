"use client";
import { useEffect, useId, useState } from "react";
import { useTranslations } from "next-intl";
import type { TemplateChannel } from "@/db/schema";
import { searchPhoneSubscribersAction } from "@/app/[locale]/manage/templates/actions";
import { safeAction } from "./safe-action";

/** A subscriber to preview as: `key` is what identifies them (address, or E.164 number for SMS). */
export type PreviewSubscriber = { key: string; label: string; name: string; detail?: string };

/** Confirmed subscribers of the groups matching `q`: by address, or (SMS) those with a number. */
async function search(channel: TemplateChannel, q: string, groups: string, readers: string, signal: AbortSignal): Promise<PreviewSubscriber[]> {
  const groupIds = groups.split(",").map(Number);
  if (channel === "sms") {
    const result = await safeAction(searchPhoneSubscribersAction, { groupIds, q, ...(readers ? { readers } : {}) });
    return result.ok ? result.data.subscribers.map((s) => ({ key: s.phone, label: s.label, name: s.name, detail: s.email })) : [];
  }
  const params = new URLSearchParams([["q", q], ...groupIds.map((g) => ["group", String(g)] as [string, string]), ...(readers ? [["lang", readers] as [string, string]] : [])]);
  const response = await fetch(`/api/templates/subscribers?${params}`, { signal, cache: "no-store" });
  if (!response.ok) return [];
  // Shown as people write the address (ann@crème.fr); asked for as stored.
  return ((await response.json()) as { subscribers: { email: string; shown: string; name: string }[] }).subscribers.map((s) => ({ key: s.email, label: s.shown, name: s.name }));
}

/**
 * "Preview as": find a confirmed subscriber of the chosen groups by address (or, for an SMS,
 * by address or number among those who gave one), then see the message as they will get it.
 * Back to sample values anytime.
 */
export function PreviewAs({
  groupIds,
  current,
  onPick,
  channel = "email",
  readers = "",
}: {
  groupIds: number[];
  current: PreviewSubscriber | undefined;
  onPick: (subscriber: PreviewSubscriber | undefined) => void;
  channel?: TemplateChannel;
  /** The template's readers' language ("": every language): only those it reaches are offered. */
  readers?: string;
}) {
  const t = useTranslations("templates.previewAs");
  const id = useId();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<{ q: string; list: PreviewSubscriber[] } | null>(null);
  const groups = groupIds.join(",");
  const sms = channel === "sms";

  useEffect(() => {
    if (!groups || q.trim().length < 2) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const list = await search(channel, q.trim(), groups, readers, controller.signal);
        // A server action cannot be aborted: an answer to an older search is dropped here.
        if (!controller.signal.aborted) setFound({ q, list });
      } catch {
        /* aborted by a newer search */
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, groups, channel, readers]);

  if (current) {
    return (
      <div className="flex flex-wrap items-center gap-2 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-900">
        <span>{sms ? t("showingSms", { phone: current.label }) : t("showing", { email: current.label })}</span>
        <button type="button" onClick={() => onPick(undefined)} className="text-brand-700 underline">{t("sample")}</button>
      </div>
    );
  }
  if (!groups) return <p className="text-sm text-slate-600">{t("needGroups")}</p>;
  const list = found && found.q === q && q.trim().length >= 2 ? found.list : null;
  return (
    <div>
      <label htmlFor={`${id}-q`} className="block text-sm font-medium text-slate-800">{t("label")}</label>
      <input
        id={`${id}-q`}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        maxLength={320}
        autoComplete="off"
        placeholder={sms ? t("placeholderSms") : t("placeholder")}
        aria-describedby={`${id}-status`}
        className="mt-1 block w-full rounded-md border border-slate-500 bg-white px-3 py-2 text-sm placeholder:text-slate-600"
      />
      <p id={`${id}-status`} className="mt-1 text-xs text-slate-600" aria-live="polite">
        {q.trim().length < 2 ? (sms ? t("hintSms") : t("hint")) : list === null ? t("searching") : t("results", { count: list.length })}
      </p>
      {list && list.length > 0 && (
        <ul className="mt-1 max-h-48 overflow-auto rounded-md border border-slate-200 bg-white">
          {list.map((s) => (
            <li key={s.key}>
              <button type="button" onClick={() => onPick(s)} className="block w-full px-3 py-1.5 text-left text-sm hover:bg-brand-50 focus:bg-brand-50">
                {s.label} {s.name && <span className="text-slate-500">({s.name})</span>} {s.detail && <span className="text-slate-500">{s.detail}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

"use client";
import { useEffect, useId, useState } from "react";
import { useTranslations } from "next-intl";

type Subscriber = { email: string; name: string };

/**
 * "Preview as": find a confirmed subscriber of the chosen groups by address, then see the
 * message with their name, address and real unsubscribe link. Back to sample values anytime.
 */
export function PreviewAs({ groupIds, current, onPick }: { groupIds: number[]; current: string | undefined; onPick: (email: string | undefined) => void }) {
  const t = useTranslations("templates.previewAs");
  const id = useId();
  const [q, setQ] = useState("");
  const [found, setFound] = useState<{ q: string; list: Subscriber[] } | null>(null);
  const groups = groupIds.join(",");

  useEffect(() => {
    if (!groups || q.trim().length < 2) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      const params = new URLSearchParams([["q", q.trim()], ...groups.split(",").map((g) => ["group", g] as [string, string])]);
      try {
        const response = await fetch(`/api/templates/subscribers?${params}`, { signal: controller.signal, cache: "no-store" });
        if (!response.ok) return setFound({ q, list: [] });
        setFound({ q, list: ((await response.json()) as { subscribers: Subscriber[] }).subscribers });
      } catch {
        /* aborted by a newer search */
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, groups]);

  if (current) {
    return (
      <div className="flex flex-wrap items-center gap-2 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-900">
        <span>{t("showing", { email: current })}</span>
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
        placeholder={t("placeholder")}
        aria-describedby={`${id}-status`}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      />
      <p id={`${id}-status`} className="mt-1 text-xs text-slate-600" aria-live="polite">
        {q.trim().length < 2 ? t("hint") : list === null ? t("searching") : t("results", { count: list.length })}
      </p>
      {list && list.length > 0 && (
        <ul className="mt-1 max-h-48 overflow-auto rounded-md border border-slate-200 bg-white">
          {list.map((s) => (
            <li key={s.email}>
              <button type="button" onClick={() => onPick(s.email)} className="block w-full px-3 py-1.5 text-left text-sm hover:bg-brand-50 focus:bg-brand-50">
                {s.email} {s.name && <span className="text-slate-500">({s.name})</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

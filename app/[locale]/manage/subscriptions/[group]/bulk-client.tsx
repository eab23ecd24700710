"use client";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { useShowPageNotice } from "@/components/ui/page-notice";
import { locales, type Locale } from "@/lib/i18n/config";
import { moveSubscriptionsAction, removeSubscriptionsAction, setSubscriptionsLocaleAction } from "../actions";

type Op = { kind: "remove" } | { kind: "move"; to: number; label: string } | { kind: "language"; locale: Locale };

/**
 * Remove the selection, move it to another group, or set the language it reads; each asks
 * first (setting a language replaces the one a person may have chosen when signing up).
 */
export function BulkClient(props: { selected: number[]; group: number; siteLanguage: Locale; targets: { id: number; label: string }[]; onDone: () => void }) {
  const { selected, group, targets, onDone } = props;
  const t = useTranslations("subscriptions.bulk");
  const tr = useTranslations();
  const tl = useTranslations("layout.languageLabel");
  // In a sentence, a language is named in the reader's language ("written in French").
  const ln = useTranslations("layout.languageName");
  const [dialog, setDialog] = useState<Op | null>(null);
  const [to, setTo] = useState(targets[0] ? String(targets[0].id) : "");
  const [language, setLanguage] = useState<Locale>(props.siteLanguage);
  const setNotice = useShowPageNotice();
  const [busy, startBusy] = useTransition();
  const none = selected.length === 0;
  // Unsubscribed addresses stay (the record that the person left): said when some were selected.
  const removedText = ({ count, kept }: { count: number; kept: number }) =>
    kept ? `${t("removed", { count })} ${t("keptUnsubscribed", { count: kept })}` : t("removed", { count });
  const movedText = ({ moved, merged, kept, group: label }: { moved: number; merged: number; kept: number; group: string }) => {
    const text = t("moved", { moved, merged, group: label });
    return kept ? `${text} ${t("keptUnsubscribedMove", { count: kept, group: label })}` : text;
  };

  const confirm = () => {
    const op = dialog;
    if (!op) return;
    startBusy(async () => {
      try {
        if (op.kind === "remove") {
          const result = await removeSubscriptionsAction({ group, ids: selected });
          if (!result.ok) setNotice({ ok: false, text: tr(result.error.key, result.error.values) });
          else setNotice({ ok: true, text: removedText(result.data) });
        } else if (op.kind === "language") {
          const result = await setSubscriptionsLocaleAction({ group, ids: selected, locale: op.locale });
          if (!result.ok) setNotice({ ok: false, text: tr(result.error.key, result.error.values) });
          else setNotice({ ok: true, text: t("languageSet", { count: result.data.count, language: ln(result.data.locale) }) });
        } else {
          const result = await moveSubscriptionsAction({ group, to: op.to, ids: selected });
          if (!result.ok) setNotice({ ok: false, text: tr((result.fieldErrors?.to ?? result.error).key, (result.fieldErrors?.to ?? result.error).values) });
          else setNotice({ ok: true, text: movedText({ ...result.data, group: op.label }) });
        }
        onDone();
      } catch {
        setNotice({ ok: false, text: tr("errors.unexpected") });
      } finally {
        setDialog(null);
      }
    });
  };

  const button = "rounded-md border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50";
  const target = targets.find((g) => String(g.id) === to);
  return (
    <div className="mb-3 space-y-2">
      <div className="flex flex-wrap items-center gap-2 rounded-lg bg-white p-3 shadow-sm">
        <span className="mr-2 text-sm text-slate-700" aria-live="polite">{t("selected", { count: selected.length })}</span>
        <button type="button" disabled={none || busy} onClick={() => setDialog({ kind: "remove" })} className={`${button} border-red-300 bg-white text-red-800 hover:bg-red-50`}>
          {t("remove")}
        </button>
        {targets.length > 0 && (
          <>
            <span className="mx-1 hidden h-6 w-px bg-slate-200 sm:block" aria-hidden="true" />
            <label htmlFor="move-to" className="text-sm text-slate-700">{t("moveTo")}</label>
            <select id="move-to" value={to} onChange={(e) => setTo(e.target.value)} className="max-w-[14rem] rounded-md border border-slate-500 bg-white px-2 py-1.5 text-sm">
              {targets.map((g) => (
                <option key={g.id} value={g.id}>{g.label}</option>
              ))}
            </select>
            <button type="button" disabled={none || busy || !target} onClick={() => target && setDialog({ kind: "move", to: target.id, label: target.label })} className={`${button} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
              {t("move")}
            </button>
          </>
        )}
        <span className="mx-1 hidden h-6 w-px bg-slate-200 sm:block" aria-hidden="true" />
        <label htmlFor="set-language" className="text-sm text-slate-700">{t("languageLabel")}</label>
        <select id="set-language" value={language} onChange={(e) => setLanguage(e.target.value as Locale)} className="rounded-md border border-slate-500 bg-white px-2 py-1.5 text-sm">
          {locales.map((l) => (
            <option key={l} value={l}>{tl(l)}</option>
          ))}
        </select>
        <button type="button" disabled={none || busy} onClick={() => setDialog({ kind: "language", locale: language })} className={`${button} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`}>
          {t("setLanguage")}
        </button>
      </div>
      <ConfirmDialog
        open={dialog !== null}
        title={dialog?.kind === "move" ? t("moveTitle", { group: dialog.label }) : dialog?.kind === "language" ? t("languageTitle", { language: ln(dialog.locale) }) : t("removeTitle")}
        confirmLabel={dialog?.kind === "move" ? t("moveConfirm") : dialog?.kind === "language" ? t("languageConfirm") : t("removeConfirm")}
        cancelLabel={t("close")}
        canConfirm={!none}
        busy={busy}
        danger={dialog?.kind === "remove"}
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        <p>
          {dialog?.kind === "move"
            ? t("moveBody", { count: selected.length, group: dialog.label })
            : dialog?.kind === "language"
              ? t("languageBody", { count: selected.length, language: ln(dialog.locale) })
              : t("removeBody", { count: selected.length })}
        </p>
      </ConfirmDialog>
    </div>
  );
}

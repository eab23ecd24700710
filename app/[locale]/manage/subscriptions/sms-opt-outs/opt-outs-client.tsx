"use client";
import { useActionState, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { DataTable, RowActions } from "@/components/ui/data-table";
import { Field } from "@/components/ui/field";
import { useShowPageNotice } from "@/components/ui/page-notice";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { NoneMark } from "@/components/ui/none-mark";
import type { SmsOptOutSource } from "@/db/schema";
import { addOptOutAction, removeOptOutAction } from "./actions";

export type OptOutTableRow = { phone: string; formatted: string; keyword: string; source: SmsOptOutSource; receivedAt: string };

/** A number an admin takes out of SMS sends; on an error the number stays as typed. `country`: the site's, where national numbers are read. */
export function AddOptOutClient({ country }: { country: string }) {
  const t = useTranslations("subscriptions.optOuts.add");
  const [state, formAction] = useActionState(addOptOutAction, null);
  const failed = state && !state.ok ? state : null;
  return (
    // A new key after a success empties the field; after an error it keeps what was typed.
    <form key={state?.ok ? state.data.phone : "form"} action={formAction} noValidate aria-labelledby="add-opt-out-title" className="mb-6 max-w-xl space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="add-opt-out-title" className="font-semibold">{t("title")}</h2>
      <FormAlert state={state} success={state?.ok ? t("added", { number: state.data.phone }) : undefined} />
      <Field name="phone" type="tel" label={t("phone")} hint={t("hint", { country })} autoComplete="off" defaultValue={failed?.values?.phone} error={failed?.fieldErrors?.phone} required />
      <SubmitButton>{t("submit")}</SubmitButton>
    </form>
  );
}

/** The page of opt-outs; each row can be taken back, after a confirmation. */
export function OptOutsTableClient({ rows }: { rows: OptOutTableRow[] }) {
  const t = useTranslations("subscriptions.optOuts.table");
  const tsrc = useTranslations("subscriptions.optOuts.source");
  const tr = useTranslations();
  const router = useRouter();
  const [target, setTarget] = useState<OptOutTableRow | null>(null);
  const setNotice = useShowPageNotice();
  const [busy, startBusy] = useTransition();
  const cell = "px-3 py-2";

  const confirm = () => {
    const row = target;
    if (!row) return;
    startBusy(async () => {
      try {
        const result = await removeOptOutAction({ phone: row.phone });
        setNotice(result.ok ? { ok: true, text: t("removed", { number: result.data.phone }) } : { ok: false, text: tr(result.error.key, result.error.values) });
        // A success re-renders the list with its answer; "not found" means someone else took the
        // number out meanwhile, so the list is fetched again to stop showing it.
        if (!result.ok) router.refresh();
      } catch {
        setNotice({ ok: false, text: tr("errors.unreachable") });
      } finally {
        setTarget(null);
      }
    });
  };

  return (
    <>
      <DataTable
        dated
        caption={t("caption")}
        columns={[
          { label: t("number") },
          { label: t("keyword"), className: "hidden sm:table-cell" },
          { label: t("source") },
          { label: t("receivedAt"), className: "hidden md:table-cell" },
          { label: t("actions"), srOnly: true },
        ]}
      >
        {rows.map((r) => (
          <tr key={r.phone} className="border-t border-slate-100 align-top">
            <td className={`${cell} whitespace-nowrap tabular-nums`}>{r.formatted}</td>
            <td className={`${cell} hidden sm:table-cell`}>{r.keyword || <NoneMark label={t("none")} />}</td>
            <td className={cell}>
              {tsrc(r.source)}
              <span className="block text-xs text-slate-500 md:hidden">{r.receivedAt}</span>
            </td>
            <td className={`${cell} hidden whitespace-nowrap md:table-cell`}>{r.receivedAt}</td>
            <RowActions>
              <button type="button" disabled={busy} onClick={() => setTarget(r)} aria-label={t("removeFor", { number: r.formatted })} className="text-sm text-brand-700 underline hover:text-brand-800 disabled:opacity-50">
                {t("remove")}
              </button>
            </RowActions>
          </tr>
        ))}
      </DataTable>
      <ConfirmDialog
        open={target !== null}
        title={t("removeTitle", { number: target?.formatted ?? "" })}
        confirmLabel={t("removeConfirm")}
        cancelLabel={t("cancel")}
        canConfirm
        busy={busy}
        onConfirm={confirm}
        onClose={() => setTarget(null)}
      >
        <p>{t("removeBody")}</p>
      </ConfirmDialog>
    </>
  );
}

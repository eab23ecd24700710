"use client";
import { useTransition } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { useShowPageNotice } from "@/components/ui/page-notice";
import { eraseSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";

/**
 * Asks before erasing an address from the site, saying what goes and what stays (an erasure
 * cannot be undone), then erases it and gives the outcome as the page's notice. `email`: the
 * address to erase (null: the dialog is closed).
 */
export function EraseDialog({ email, onClose }: { email: string | null; onClose: () => void }) {
  const t = useTranslations("subscriptions.erase");
  const tr = useTranslations();
  const setNotice = useShowPageNotice();
  const [busy, startBusy] = useTransition();
  const confirm = () => {
    if (!email) return;
    startBusy(async () => {
      try {
        const result = await eraseSubscriberAction({ email });
        if (!result.ok) setNotice({ ok: false, text: tr((result.fieldErrors?.email ?? result.error).key, (result.fieldErrors?.email ?? result.error).values) });
        else setNotice({ ok: true, text: t("done", { email: result.data.email, count: result.data.subscriptions }) });
      } catch {
        setNotice({ ok: false, text: tr("errors.unexpected") });
      } finally {
        onClose();
      }
    });
  };
  return (
    <ConfirmDialog open={email !== null} title={t("title", { email: email ?? "" })} confirmLabel={t("confirm")} cancelLabel={t("close")} canConfirm busy={busy} danger onConfirm={confirm} onClose={onClose}>
      <p>{t("body", { email: email ?? "" })}</p>
      <p className="mt-2">{t("kept")}</p>
    </ConfirmDialog>
  );
}

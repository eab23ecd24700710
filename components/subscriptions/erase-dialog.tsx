"use client";
import { useEffect, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { ConfirmDialog } from "@/components/queue/confirm-dialog";
import { useShowPageNotice } from "@/components/ui/page-notice";
import { eraseFindingsAction, eraseSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";

/** What the site holds for the address (null subscriptions: the question failed; erasing is still offered). */
type Findings = { email: string; subscriptions: number | null; erased: boolean };

/**
 * Asks before erasing an address from the site, saying what goes and what stays (an erasure
 * cannot be undone), then erases it and gives the outcome as the page's notice. `email`: the
 * address to erase (null: the dialog is closed). It first asks what the site holds for the
 * address: one with no subscription is often a typo, said before the erasure puts it on the
 * do-not-contact list (still possible: a person may ask before ever subscribing).
 */
export function EraseDialog({ email, onClose }: { email: string | null; onClose: () => void }) {
  const t = useTranslations("subscriptions.erase");
  const tr = useTranslations();
  const setNotice = useShowPageNotice();
  const [busy, startBusy] = useTransition();
  const [findings, setFindings] = useState<Findings | null>(null);
  useEffect(() => {
    if (!email) return;
    let current = true;
    eraseFindingsAction({ email }).then(
      (r) => current && setFindings({ email, subscriptions: r.ok ? r.data.subscriptions : null, erased: r.ok && r.data.erased }),
      () => current && setFindings({ email, subscriptions: null, erased: false }),
    );
    return () => {
      current = false;
    };
  }, [email]);
  // Another address's (or this one's before an erasure) is no answer for this one.
  const found = email !== null && findings?.email === email ? findings : null;
  const close = () => {
    setFindings(null);
    onClose();
  };
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
        close();
      }
    });
  };
  const none = found?.subscriptions === 0;
  const shown = email ?? "";
  return (
    <ConfirmDialog
      open={email !== null}
      title={t("title", { email: shown })}
      confirmLabel={none ? t("confirmAnyway") : t("confirm")}
      cancelLabel={t("close")}
      canConfirm={found !== null}
      busy={busy}
      danger
      onConfirm={confirm}
      onClose={close}
    >
      {found === null ? (
        <p>{t("looking", { email: shown })}</p>
      ) : none ? (
        <>
          <p role="note" className="rounded-md bg-amber-50 px-3 py-2 font-medium text-amber-900">{t(found.erased ? "notFoundErased" : "notFound", { email: shown })}</p>
          {!found.erased && <p className="mt-2">{t("anyway")}</p>}
        </>
      ) : (
        <>
          {found.subscriptions !== null && <p className="mb-2">{t("found", { email: shown, count: found.subscriptions })}</p>}
          <p>{t("body", { email: shown })}</p>
          <p className="mt-2">{t("kept")}</p>
        </>
      )}
    </ConfirmDialog>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { isErasedRecipient, shownRecipient } from "@/lib/queue/erased-recipient";
import { shownDomain } from "@/lib/idn";
import { MessagePreview } from "@/components/queue/message-preview";
import { QueueHistory } from "@/components/queue/queue-history";
import { StatusBadge } from "@/components/queue/status-badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { bigIdSchema, ID_TEXT } from "@/lib/ids";
import { findQueueRow, outboxPath, previewOf, queueHistory } from "@/lib/queue/detail";
import { RowActionsClient } from "./row-actions-client";
import { QueueFollower } from "@/components/queue/queue-follower";
import { queueStats } from "@/lib/queue/stats";
import { rowMayChange } from "@/lib/queue/may-change";
import { FactList } from "@/components/ui/fact-list";
import { shownSmsSenderOf } from "@/lib/sms/sender";
import { SmsPreview } from "@/components/templates/sms-preview";
import { hiddenContent } from "@/lib/queue/hidden-content";
import { errorText } from "@/components/queue/error-text";
import { stoppedNoteOf } from "@/lib/queue/deliver";
import { ERASED_NOTE } from "@/lib/queue/notes";
import { ErrorLines } from "@/components/queue/error-lines";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return { title: (await getTranslations("queue.detail"))("title", { id: ID_TEXT.test(id) ? id : "?" }) };
}

export default async function QueueRowPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  const base = `/${locale}/manage/queue`;
  const { actor, site } = await requirePage("admin", locale, `${base}/${id}`);
  const rowId = bigIdSchema.safeParse(id).data ?? 0;
  const found = rowId > 0 ? await findQueueRow(rowId, actor.role === "superuser" ? null : site.id) : null;
  if (!found) notFound();
  const { row, siteDomain } = found;
  const scrubbed = isErasedRecipient(row.recipient);
  // A row that may still change by itself (rowMayChange): followed.
  const moving = rowMayChange(row);
  const [t, tc, tfail, format, history, smsFrom, stoppedNote, stats] = await Promise.all([
    getTranslations("queue.detail"),
    getTranslations("queue.channel"),
    getTranslations("queue.failure"),
    getFormatter(),
    queueHistory(row.id),
    // The sender the transport uses: the message's own, else its SMS URL's `?source=` / `?from=`.
    row.channel === "sms" ? shownSmsSenderOf(row.siteId, found.message.fromAddress) : "",
    // A row sent before its person was erased keeps their address (the delivery record,
    // lib/newsletters/erase.ts), but the queue would stop it: it cannot go to them again. Nor to
    // someone who unsubscribed or opted out since: the page says so rather than promise a resend.
    scrubbed ? null : stoppedNoteOf(row, found.message),
    moving ? queueStats(row.siteId) : null,
  ]);
  const preview = previewOf(found);
  // A body carrying a sign-in or confirmation link is never shown, to anyone (see hiddenContent).
  const hidden = hiddenContent(found.message.kind);
  const eml = !hidden && row.channel === "email" && outboxPath(row.siteId, row.id) ? `/api/queue/${row.id}/eml` : null;
  const erasedSince = stoppedNote === ERASED_NOTE;
  const erased = scrubbed || erasedSince;
  const wontGo = stoppedNote && !erasedSince ? errorText(tfail, stoppedNote, false).reason : null;
  const recipient = shownRecipient(row, t("erasedRecipient"));
  const named = row.recipientName ? `${row.recipientName} <${recipient}>` : recipient;
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "medium" }) : "—");
  const facts: [string, React.ReactNode][] = [
    [t("recipient"), erasedSince ? t("erasedPerson", { recipient: named }) : named],
    [t("channel"), tc(row.channel)],
    ...(preview.segments
      ? ([[t("segments"), t("segmentsValue", { count: preview.segments.segments, encoding: preview.segments.encoding, units: preview.segments.units })]] as [string, React.ReactNode][])
      : []),
    [t("status"), <StatusBadge key="s" status={row.status} />],
    [t("attempts"), format.number(row.attempts)],
    // Pending rows due later wait for their SMS sending hours; retryable errors for their backoff.
    ...(found.heldUntil
      ? ([[t("waitsUntil"), when(found.heldUntil)]] as [string, React.ReactNode][])
      : row.status === "error" && row.retryable
        ? ([[t("retryAt"), when(row.nextAttemptAt)]] as [string, React.ReactNode][])
        : []),
    [t("queuedAt"), when(row.queuedAt)],
    [t("sentAt"), when(row.sentAt)],
    [t("deliveredAt"), when(row.deliveredAt)],
    ...(row.channel === "sms" ? ([[t("receiptAt"), when(row.receiptAt ?? row.deliveredAt)]] as [string, React.ReactNode][]) : []),
    [t("providerId"), row.providerMessageId ? <code key="p" className="break-all text-xs">{row.providerMessageId}</code> : "—"],
    // A kind this version does not name (added by a later one) shows as stored.
    [t("kind"), t.has(`kinds.${found.message.kind}`) ? t(`kinds.${found.message.kind}`) : found.message.kind],
    ...(actor.role === "superuser" ? ([[t("site"), shownDomain(siteDomain)]] as [string, React.ReactNode][]) : []),
  ];

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={base} className="text-brand-700 underline">{t("back")}</Link>
      </p>
      {stats && <QueueFollower initial={stats} siteId={row.siteId} />}
      <PageHeader title={t("title", { id: row.id })}>
        <RowActionsClient id={row.id} status={row.status} recipient={recipient} erased={erased} wontGo={wontGo} segments={preview.segments?.segments ?? null} />
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="facts-title" className="self-start rounded-lg bg-white p-4 shadow-sm lg:col-span-1">
          <h2 id="facts-title" className="mb-3 text-lg font-semibold">{t("facts")}</h2>
          <FactList dated facts={facts} className="grid-cols-1 sm:grid-cols-2 lg:grid-cols-1" />
          {row.lastError && (
            <div className="mt-4">
              <h3 className="text-sm font-medium text-slate-600">{t("lastError")}</h3>
              <p className="mt-1 rounded-md bg-red-50 p-2 text-sm text-red-900">
                {/* The retry note is for a row in error; one set back to pending or sent since only keeps its last error. */}
                <ErrorLines error={errorText(tfail, row.lastError, row.status === "error" ? row.retryable : undefined)} />
              </p>
            </div>
          )}
          {eml && (
            <p className="mt-4 flex flex-wrap gap-4 text-sm">
              <a href={eml} className="text-brand-700 underline">{t("emlView")}</a>
              <a href={`${eml}?download=1`} className="text-brand-700 underline" download>{t("emlDownload")}</a>
            </p>
          )}
        </section>
        <div className="min-w-0 lg:col-span-2">
          {hidden ? (
            <p className="rounded-lg bg-white p-4 text-sm text-slate-700 shadow-sm">{t("contentHidden")}</p>
          ) : row.channel === "sms" ? (
            <section aria-labelledby="sms-title">
              <h2 id="sms-title" className="mb-2 text-lg font-semibold">{t("smsTitle")}</h2>
              <div className="rounded-lg bg-white p-4 shadow-sm">
                <SmsPreview from={smsFrom} to={recipient} text={preview.text} />
              </div>
            </section>
          ) : (
            <MessagePreview headers={preview.headers} text={preview.text} html={preview.html} attachments={preview.attachments} />
          )}
        </div>
      </div>
      <section aria-labelledby="history-title" className="mt-8">
        <h2 id="history-title" className="mb-2 text-lg font-semibold">{t("history")}</h2>
        <QueueHistory events={history} />
      </section>
    </>
  );
}

import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SendLive } from "@/components/templates/send-live";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { bigIdSchema, parseId } from "@/lib/ids";
import { getTemplate, sendReport } from "@/lib/newsletters/send";
import { failedRecipients } from "@/lib/newsletters/templates";
import { retryPlan } from "@/lib/newsletters/retry-failures";
import { reportSegments } from "@/lib/newsletters/send-segments";
import { LocalDateTime } from "@/components/templates/local-time";
import { errorText } from "@/components/queue/error-text";
import { ErrorLines } from "@/components/queue/error-lines";
import { formatPhone } from "@/lib/sms/phone";
import { shownEmail } from "@/lib/idn";
import { Pager } from "@/components/ui/pager";
import { pageCount, pageNumber } from "@/lib/paging";
import { urlFilterQuery } from "@/lib/url-filters";
import { csvExportHref } from "@/lib/csv";

/** Past this many failures the report offers the retry without counting what it would leave out first. */
const RETRY_PLAN_ON_RENDER = 5_000;

export async function generateMetadata() {
  return { title: (await getTranslations("templates.report"))("title") };
}

export default async function SendReportPage({ params, searchParams }: { params: Promise<{ locale: string; id: string }>; searchParams: Promise<{ after?: string; before?: string; page?: string; sent?: string }> }) {
  const [{ locale, id }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/templates`;
  const { site } = await requirePage("admin", locale, `${base}/sends/${id}`);
  const sendId = parseId(id);
  const report = sendId ? await sendReport(site.id, sendId) : null;
  if (!report) notFound();
  const { send, counts, retrying, waitsUntil } = report;
  // A queue row id (bigint): past 2^31 as well.
  const after = bigIdSchema.safeParse(sp.after).data;
  const before = bigIdSchema.safeParse(sp.before).data;
  const [t, tfail, template, failed, plan, segments] = await Promise.all([
    getTranslations("templates.report"),
    getTranslations("queue.failure"),
    send.templateId ? getTemplate(site.id, send.templateId) : null,
    send.messageId ? failedRecipients(site.id, send.messageId, { after, before }) : { rows: [], next: null, prev: null },
    // Worked out row by row (the queue's own checks): on render only while that stays quick
    // (~60 ms for 2,000 failures, ~1 s for 100,000); past it, the retry itself says what it left out.
    send.status === "queued" && send.messageId && counts.error > 0 && counts.error <= RETRY_PLAN_ON_RENDER ? retryPlan(site.id, send.messageId) : null,
    reportSegments(send),
  ]);
  // Queued SMS rows say what they are; a send not queued yet is what its template is.
  const channel = segments !== null ? "sms" : (template?.channel ?? "email");
  const here = `${base}/sends/${send.id}`;
  // A number as every other screen shows it (+33 6 98 76 54 32), an address with its domain as
  // people write it (ann@crème.fr), not as stored.
  const shown = (r: (typeof failed.rows)[number]) => (r.channel === "sms" ? formatPhone(r.recipient) : shownEmail(r.recipient));
  const initial = {
    status: send.status,
    scheduledAt: send.scheduledAt?.toISOString() ?? null,
    queuedAt: send.queuedAt?.toISOString() ?? null,
    recipientCount: send.recipientCount,
    counts: counts as Record<"pending" | "sending" | "sent" | "error" | "delivered", number>,
    retrying,
    waitsUntil: waitsUntil?.toISOString() ?? null,
  };

  return (
    <>
      <p className="mb-2 text-sm">
        {template ? (
          <Link href={`${base}/${template.id}`} className="text-brand-700 underline">{t("backTo", { name: template.name })}</Link>
        ) : (
          <Link href={base} className="text-brand-700 underline">{t("backToList")}</Link>
        )}
      </p>
      {/* The template's name: a subject holds placeholders ({{name|friend}}) that stand for each reader's
          copy, and an SMS has none (its stored one is the start of its raw text). */}
      <PageHeader title={template?.name ?? t("title")} />
      <p className="-mt-4 mb-4 text-sm text-slate-600">
        {template ? t("intro", { name: template.name }) : t("introDeleted")}
        {channel === "email" && send.subject && <span className="mt-1 block break-words">{t("subjectLine", { subject: send.subject })}</span>}
      </p>
      {sp.sent === "queued" || sp.sent === "scheduled" ? (
        <p role="status" className="mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
          {/* "Send now" while the SMS sending hours are closed: queued, but held until they open, not leaving. */}
          {sp.sent === "queued" && waitsUntil && counts.pending > 0
            ? t.rich("queuedHeldNotice", { when: () => <LocalDateTime value={waitsUntil.toISOString()} style="full" nameZone /> })
            : t(sp.sent === "queued" ? "queuedNotice" : "scheduledNotice")}
        </p>
      ) : null}
      <SendLive sendId={send.id} initial={initial} createdAt={send.createdAt.toISOString()} retry={plan ? { count: plan.ids.length, leftOut: plan.leftOut } : counts.error > RETRY_PLAN_ON_RENDER ? { count: counts.error, leftOut: null } : null} channel={channel} segments={segments} />
      {send.status === "queued" && send.messageId && (
        // Every recipient's outcome (delivered, sent, in error…), filtered and exported by the queue screen's own code.
        <p className="mt-4 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link href={`/${locale}/manage/queue?message=${send.messageId}`} className="text-brand-700 underline">
            {t("allInQueue", { count: send.recipientCount })}
          </Link>
          <a href={csvExportHref(`/api/queue/export?message=${send.messageId}`, locale)} className="text-brand-700 underline" download>
            {t("exportAll")}
          </a>
        </p>
      )}
      {send.status === "queued" && (
        <section aria-labelledby="failed-title" className="mt-8">
          <h2 id="failed-title" className="mb-2 text-lg font-semibold">{t("failedTitle")}</h2>
          {failed.rows.length === 0 ? (
            <p className="text-sm text-slate-600">{after ? t("failedNoMore") : t("failedNone")}</p>
          ) : (
            <DataTable
              caption={t("failedTitle")}
              columns={[
                { label: t("recipient") },
                { label: t("lastError") },
                // Where the box is narrow (a phone) the attempts go: the row's page has them.
                { label: t("attempts"), className: "hidden text-right @md:table-cell" },
                { label: t("detail"), srOnly: true },
              ]}
            >
              {failed.rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100 align-top">
                  <td className="px-3 py-2 break-all">
                    {/* A number on one line: break-all, there for long addresses, cut it mid-number on a phone. */}
                    {r.channel === "sms" ? <span className="whitespace-nowrap">{shown(r)}</span> : shown(r)}
                    {r.recipientName && <span className="block text-xs text-slate-500">{r.recipientName}</span>}
                  </td>
                  <td className="max-w-md px-3 py-2 wrap-anywhere text-red-800">{r.lastError ? <ErrorLines error={errorText(tfail, r.lastError, r.retryable)} /> : "—"}</td>
                  <td className="hidden px-3 py-2 text-right tabular-nums @md:table-cell">{r.attempts}</td>
                  <td className="px-3 py-2">
                    <Link href={`/${locale}/manage/queue/${r.id}`} className="text-brand-700 underline">
                      {t("detail")}
                      <span className="sr-only"> — {shown(r)}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          <Pager label={t("pagination")} href={(link) => `${here}?${urlFilterQuery({}, link)}`} page={failed} urlPage={pageNumber(sp)} pages={pageCount(counts.error)} />
        </section>
      )}
    </>
  );
}

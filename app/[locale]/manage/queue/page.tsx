import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { shownRecipient } from "@/lib/queue/erased-recipient";
import { shownDomain } from "@/lib/idn";
import { FilterForm } from "@/components/queue/filter-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageNotice } from "@/components/ui/page-notice";
import { PageHeader } from "@/components/ui/page-header";
import { queueStatuses, type QueueStatus } from "@/db/schema";
import { requirePage } from "@/lib/auth/guard";
import { filterQuery, scopedQueueFilters } from "@/lib/queue/filters";
import { listQueue, pageOrder, queueWhere } from "@/lib/queue/list";
import { queueStats } from "@/lib/queue/stats";
import { listSites } from "@/lib/sites/manage";
import { QueueLiveClient } from "./queue-live-client";
import { TestSmsClient } from "./test-sms-client";
import { QueueTableClient, type TableRow } from "./queue-table-client";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { MessageFilterNotice } from "@/components/queue/message-filter-notice";
import { Pager } from "@/components/ui/pager";
import { pageCount, pageNumber } from "@/lib/paging";
import { errorText } from "@/components/queue/error-text";
import { phoneExamples } from "@/lib/sms/phone-examples";

export async function generateMetadata() {
  return { title: (await getTranslations("queue"))("title") };
}

export default async function QueuePage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/queue`;
  const { actor, site } = await requirePage("admin", locale, base);
  const superuser = actor.role === "superuser";
  const { filters, invalid, siteId, message } = await scopedQueueFilters(actor, site.id, sp);
  const where = await queueWhere(filters, siteId, site.timeZone);
  // Numbers are typed as in the site's country: the hints show one of its own.
  const phone = phoneExamples(site.defaultCountry, locale);
  const [t, tf, tfail, format, page, stats, sites] = await Promise.all([
    getTranslations("queue"),
    getTranslations("queue.filters"),
    getTranslations("queue.failure"),
    getFormatter(),
    listQueue(where, { after: filters.after, before: filters.before, order: pageOrder(filters), allSites: siteId === null }),
    queueStats(siteId),
    superuser ? listSites() : null,
  ]);
  const query = filterQuery(filters);
  const href = (extra: Parameters<typeof filterQuery>[1] = {}) => `${base}?${filterQuery(filters, extra)}`;
  const siteQuery = filters.site === undefined ? "" : `site=${filters.site}`;
  const statusHref = Object.fromEntries(queueStatuses.map((s) => [s, `${base}?${filterQuery({ site: filters.site }, { status: s })}`])) as Record<QueueStatus, string>;
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : null);
  // A column's date: the day too, so that it may wrap between the day and the time (DayAndTime).
  const moment = (d: Date) => ({ text: when(d)!, day: format.dateTime(d, { dateStyle: "medium" }) });
  const rows: TableRow[] = page.rows.map(({ lastError, retryable, ...r }) => ({
    ...r,
    // A number as people read it; the CSV export keeps E.164.
    recipient: shownRecipient(r, t("erasedRecipient")),
    href: `${base}/${r.id}`,
    // Shown for rows in error only: a row set back to pending keeps its old error until it is sent.
    error: r.status === "error" && lastError ? errorText(tfail, lastError, retryable) : null,
    site: shownDomain(r.siteDomain),
    queuedAt: moment(r.queuedAt),
    sentAt: r.sentAt && moment(r.sentAt),
    deliveredAt: when(r.deliveredAt),
    receiptAt: when(r.receiptAt),
    heldUntil: r.heldUntil && { date: format.dateTime(r.heldUntil, { dateStyle: "medium" }), time: format.dateTime(r.heldUntil, { timeStyle: "short" }) },
  }));
  const filtered = query !== siteQuery;
  const withoutMessage = filterQuery({ ...filters, message: undefined });
  // The status counts already shown (kept by triggers) give the pages when no other filter narrows the list.
  const statusOnly = filterQuery({ ...filters, site: undefined, status: undefined }) === "";
  const pages = statusOnly ? pageCount(filters.status ? stats.counts[filters.status] : stats.total) : null;

  return (
    <>
      <PageHeader title={t("title")} />
      <p className="-mt-4 mb-4 max-w-3xl text-sm text-slate-600">{siteId === null ? t("introAll") : t("intro", { site: shownDomain(sites?.find((s) => s.id === siteId)?.domain ?? site.domain) })}</p>
      <QueueLiveClient initial={stats} statsQuery={siteQuery} filter={query} statusHref={statusHref} />
      <TestSmsClient phone={phone} />
      <FilterForm action={base} phone={phone} filters={filters} sites={sites && sites.map((s) => ({ id: s.id, domain: shownDomain(s.domain) }))} exportHref={`/api/queue/export${query ? `?${query}` : ""}`} />
      <IgnoredFilters names={invalid} labels="queue.filters" />
      {message && <MessageFilterNotice message={message} without={withoutMessage ? `${base}?${withoutMessage}` : base} locale={locale} />}
      <PageNotice />
      {rows.length === 0 ? (
        <EmptyState title={filtered || filters.after ? t("noMatch") : t("empty")}>{filtered ? <Link href={base} className="text-brand-700 underline">{tf("reset")}</Link> : t("emptyHint")}</EmptyState>
      ) : (
        <QueueTableClient rows={rows} showSite={siteId === null} filter={query} />
      )}
      <Pager label={t("pagination")} href={href} page={page} urlPage={pageNumber(sp)} pages={pages} />
    </>
  );
}

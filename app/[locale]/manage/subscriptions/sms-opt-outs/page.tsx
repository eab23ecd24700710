import Link from "next/link";
import { shownDomain } from "@/lib/idn";
import { getFormatter, getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { PageNotice } from "@/components/ui/page-notice";
import { PageHeader } from "@/components/ui/page-header";
import { OptOutFilterForm } from "@/components/subscriptions/opt-out-filter-form";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { requirePage } from "@/lib/auth/guard";
import { countOptOuts, listOptOuts, optOutQuery, optOutsWhere, parseOptOutFilters } from "@/lib/sms/opt-out-list";
import { formatPhone } from "@/lib/sms/phone";
import { AddOptOutClient, OptOutsTableClient, type OptOutTableRow } from "./opt-outs-client";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { Pager } from "@/components/ui/pager";
import { pageCount, pageNumber } from "@/lib/paging";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  return { title: (await getTranslations("subscriptions.optOuts"))("title") };
}

/**
 * The numbers this site's SMS sends to groups leave out: those that replied STOP, those the
 * provider refused as opted out, and those an admin entered. Filter, export, add, take back.
 */
export default async function SmsOptOutsPage({ params, searchParams }: Props) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const here = `/${locale}/manage/subscriptions/sms-opt-outs`;
  const { site } = await requirePage("admin", locale, here);
  const { filters, invalid } = parseOptOutFilters(sp, site.defaultCountry);
  const where = optOutsWhere(site.id, filters);
  const phone = phoneExamples(site.defaultCountry, locale);
  const [t, tf, format, page, total] = await Promise.all([
    getTranslations("subscriptions.optOuts"),
    getTranslations("subscriptions.optOuts.filters"),
    getFormatter(),
    listOptOuts(where, { after: filters.after, before: filters.before }),
    countOptOuts(where),
  ]);
  const query = optOutQuery(filters);
  const href = (extra: Record<string, string | number | undefined> = {}) => `${here}?${optOutQuery(filters, extra)}`;
  const rows: OptOutTableRow[] = page.rows.map((r) => ({
    phone: r.phone,
    formatted: formatPhone(r.phone),
    keyword: r.keyword,
    source: r.source,
    receivedAt: format.dateTime(r.receivedAt, { dateStyle: "medium", timeStyle: "short" }),
  }));

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/${locale}/manage/subscriptions`} className="text-brand-700 underline">{t("back")}</Link>
      </p>
      <PageHeader title={t("title")} />
      <p className="-mt-4 mb-4 max-w-3xl text-sm text-slate-600">{t("intro", { site: shownDomain(site.domain) })}</p>
      <AddOptOutClient country={phone.country} />
      <OptOutFilterForm
        phone={phone}
        action={here}
        q={typeof sp.q === "string" ? sp.q : ""}
        source={filters.source}
        exportAllHref="/api/subscriptions/sms-opt-outs/export"
        exportFilteredHref={query ? `/api/subscriptions/sms-opt-outs/export?${query}` : null}
      />
      <IgnoredFilters names={invalid} labels="subscriptions.optOuts.filters" />
      <p className="mb-2 text-sm text-slate-700" aria-live="polite">
        {t(total.capped ? "countCapped" : "count", { count: total.count, shown: format.number(total.count) })}
      </p>
      <PageNotice />
      {rows.length === 0 ? (
        <EmptyState title={query || filters.after ? t("noMatch") : t("empty")}>
          {query ? <Link href={here} className="text-brand-700 underline">{tf("reset")}</Link> : t("emptyHint")}
        </EmptyState>
      ) : (
        <OptOutsTableClient rows={rows} />
      )}
      <Pager label={t("pagination")} href={href} page={page} urlPage={pageNumber(sp)} pages={total.capped ? null : pageCount(total.count)} />
    </>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { SubscriptionFilterForm } from "@/components/subscriptions/filter-form";
import { EmptyState } from "@/components/ui/empty-state";
import { PageNotice } from "@/components/ui/page-notice";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { subscriptionStatuses } from "@/db/schema";
import { requirePage } from "@/lib/auth/guard";
import type { Locale } from "@/lib/i18n/config";
import { parseId } from "@/lib/ids";
import { groupKey, groupStatusCounts, listGroups } from "@/lib/newsletters/groups";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { parseSubscriptionFilters, statedLocale, subscriptionQuery, subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { siteLocale } from "@/lib/i18n/reader-locale";
import { formatPhone } from "@/lib/sms/phone";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { AddClients } from "./add-client";
import { SubscriptionsTableClient, type TableRow } from "./table-client";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { Pager } from "@/components/ui/pager";
import { pageCount, pageNumber } from "@/lib/paging";
import { consentWords } from "@/lib/newsletters/consent-note";
import { shownEmail } from "@/lib/idn";

type Props = { params: Promise<{ locale: string; group: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  return { title: (await getTranslations("subscriptions"))("title") };
}

export default async function GroupPage({ params, searchParams }: Props) {
  const [{ locale, group: raw }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/subscriptions`;
  const { site } = await requirePage("admin", locale, `${base}/${raw}`);
  const groupId = parseId(raw);
  if (groupId === null) notFound();
  // Only this group's counts: the whole site's were a count of every subscription per view.
  const [groups, counts] = await Promise.all([listGroups(site, locale as Locale), groupStatusCounts(site.id, groupId)]);
  const group = groups.find((g) => g.id === groupId);
  if (!group && !counts) notFound();
  const { filters, invalid } = parseSubscriptionFilters(sp);
  const siteLanguage = siteLocale(site.defaultLocale);
  const [t, tf, ts, format, page] = await Promise.all([
    getTranslations("subscriptions"),
    getTranslations("subscriptions.filters"),
    getTranslations("subscriptions.status"),
    getFormatter(),
    listSubscriptions(subscriptionsWhere(site.id, groupId, filters, site.defaultCountry, siteLanguage), { after: filters.after, before: filters.before }),
  ]);
  const here = `${base}/${groupId}`;
  const query = subscriptionQuery(filters);
  const href = (extra: Record<string, string | number | undefined> = {}) => `${here}?${subscriptionQuery(filters, extra)}`;
  const c = counts ?? { unconfirmed: 0, confirmed: 0, unsubscribed: 0 };
  // The counts shown above are the group's rows by status: without a search or a language, they give the pages.
  const pagesKnown = filters.q || filters.lang ? null : pageCount(filters.status ? (c[filters.status] ?? 0) : Object.values(c).reduce((a, b) => a + b, 0));
  // With the day alone too: a column's date may wrap between the day and the time (DayAndTime).
  const when = (d: Date | null) => (d ? { text: format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }), day: format.dateTime(d, { dateStyle: "medium" }) } : null);
  // An administrator's add or import is recorded in fixed words: shown in the reader's language.
  const shownConsent = (text: string | null) => consentWords(text, (note) => t(`consent.${note.key}`, { ...note.values, who: shownEmail(note.values.who) }));
  const rows: TableRow[] = page.rows.map((r) => ({
    id: r.id,
    // As the person wrote it (ann@crème.fr, stored ann@xn--crme-6oa.fr); the erase dialog sends it back, normalised again.
    email: shownEmail(r.email),
    phone: r.phone ? formatPhone(r.phone) : null,
    smsOptedOut: r.smsOptedOut,
    name: r.name,
    locale: statedLocale(r.locale),
    status: r.status,
    source: r.source,
    consentAt: when(r.consentAt),
    consentText: shownConsent(r.consentText),
    confirmedAt: when(r.confirmedAt),
    unsubscribedAt: when(r.unsubscribedAt),
  }));
  const label = group?.label ?? t("groups.noLabel", { key: groupKey(groupId) });
  // Numbers typed nationally are read in the site's country: the hints show one of its numbers.
  const phone = phoneExamples(site.defaultCountry, locale);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={base} className="text-brand-700 underline">{t("group.back")}</Link>
      </p>
      <PageHeader title={label}>{group && <LinkButton href={`${here}/import`}>{t("group.import")}</LinkButton>}</PageHeader>
      <p className="-mt-4 mb-4 text-sm text-slate-600">{t("group.number", { id: groupId, key: groupKey(groupId) })}</p>
      {sp.created && <p role="status" className="mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">{t("group.created")}</p>}
      {!group && (
        <p role="note" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t("group.orphan", { key: groupKey(groupId) })} <Link href={`/${locale}/manage/i18n`} className="underline">{t("empty.i18nLink")}</Link>.
        </p>
      )}
      <ul className="mb-6 grid grid-cols-1 gap-3 sm:grid-cols-3" aria-label={t("group.counts")}>
        {subscriptionStatuses.map((s) => (
          <li key={s}>
            <Link href={`${here}?status=${s}`} aria-current={filters.status === s ? "true" : undefined} className={`block rounded-md border-l-4 bg-white px-3 py-2 shadow-sm hover:bg-slate-50 ${filters.status === s ? "border-brand-600" : "border-slate-200"}`}>
              <span className="block text-sm text-slate-600">{ts(s)}</span>
              <span className="block text-2xl font-semibold tabular-nums">{format.number(c[s] ?? 0)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {group && (
        <section aria-labelledby="add-title" className="mb-6 grid gap-4 lg:grid-cols-2">
          <h2 id="add-title" className="sr-only">{t("add.title")}</h2>
          <AddClients group={groupId} siteLanguage={siteLanguage} phone={phone} />
        </section>
      )}
      <SubscriptionFilterForm
        action={here}
        filters={filters}
        siteLanguage={siteLanguage}
        phone={phone}
        exportGroupHref={`/api/subscriptions/export?group=${groupId}`}
        exportFilteredHref={query ? `/api/subscriptions/export?group=${groupId}&${query}` : null}
      />
      <IgnoredFilters names={invalid} labels="subscriptions.filters" />
      <PageNotice />
      {rows.length === 0 ? (
        <EmptyState title={query || filters.after ? t("group.noMatch") : t("group.empty")}>
          {query ? <Link href={here} className="text-brand-700 underline">{tf("reset")}</Link> : t("group.emptyHint")}
        </EmptyState>
      ) : (
        <SubscriptionsTableClient rows={rows} group={groupId} siteLanguage={siteLanguage} country={phone.country} targets={groups.filter((g) => g.id !== groupId).map((g) => ({ id: g.id, label: g.label }))} />
      )}
      <Pager label={t("pagination")} href={href} page={page} urlPage={pageNumber(sp)} pages={pagesKnown} />
    </>
  );
}

import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { TemplateFilterForm } from "@/components/templates/template-filter-form";
import { TemplatesTable } from "@/components/templates/templates-table";
import { requirePage } from "@/lib/auth/guard";
import { isLocale } from "@/lib/i18n/config";
import { parseAddressList } from "@/lib/newsletters/addresses";
import { listGroups } from "@/lib/newsletters/groups";
import { parsePhoneList } from "@/lib/newsletters/phones";
import { listTemplates, parseTemplateFilters, templateQuery, type TemplateListRow } from "@/lib/newsletters/template-list";
import { pageNumber } from "@/lib/paging";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("title") };
}

export default async function TemplatesPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/templates`;
  const { site } = await requirePage("admin", locale, base);
  const { filters, invalid } = parseTemplateFilters(sp);
  const [t, language, page, groups] = await Promise.all([getTranslations("templates"), getTranslations("layout.languageName"), listTemplates(site.id, filters), listGroups(site, isLocale(locale) ? locale : "fr")]);
  const templates = page.rows;
  const filtered = Boolean(filters.q || filters.channel);
  const label = new Map(groups.map((g) => [g.id, g.label]));
  const recipients = ({ groupIds, audienceLocale, pastedRecipients: pasted, channel }: TemplateListRow) => {
    const parts = groupIds.map((id) => label.get(id) ?? t("editor.groupGone", { id }));
    if (parts.length && isLocale(audienceLocale)) parts[parts.length - 1] += ` (${t("list.readers", { language: language(audienceLocale) })})`;
    const sms = channel === "sms";
    const addresses = pasted.trim() ? (sms ? parsePhoneList(pasted, site.defaultCountry) : parseAddressList(pasted)).valid.length : 0;
    if (addresses) parts.push(t(sms ? "list.numbers" : "list.addresses", { count: addresses }));
    return parts.length ? parts.join(", ") : null;
  };

  return (
    <>
      <PageHeader title={t("title")}>
        <LinkButton href={`${base}/new`}>{t("new")}</LinkButton>
      </PageHeader>
      <p className="-mt-4 mb-4 max-w-3xl text-sm text-slate-600">{t("intro")}</p>
      <TemplateFilterForm action={base} q={filters.q ?? ""} channel={filters.channel} />
      <IgnoredFilters names={invalid} labels="templates.filters" />
      {templates.length === 0 ? (
        filtered || page.prev !== null ? (
          <EmptyState title={t("list.noMatch")}>
            <Link href={base} className="text-brand-700 underline">{t("filters.reset")}</Link>
          </EmptyState>
        ) : (
          <EmptyState title={t("list.empty")}>
            <Link href={`${base}/new`} className="text-brand-700 underline">{t("list.emptyHint")}</Link>
          </EmptyState>
        )
      ) : (
        <TemplatesTable templates={templates} who={new Map(templates.map((tpl) => [tpl.id, recipients(tpl)]))} base={base} />
      )}
      <Pager label={t("list.pagination")} href={(link) => `${base}?${templateQuery(filters, link)}`} page={page} urlPage={pageNumber(sp)} />
    </>
  );
}

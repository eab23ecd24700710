import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { getTranslations } from "next-intl/server";
import { LocalDateTime } from "@/components/templates/local-time";
import { SendButton } from "@/components/templates/send-button";
import { SendStatusBadge } from "@/components/templates/send-status-badge";
import { TemplateActions } from "@/components/templates/template-actions";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { TemplateFilterForm } from "@/components/templates/template-filter-form";
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
        <DataTable
          dated
          caption={t("title")}
          columns={[
            { label: t("list.name") },
            { label: t("list.subject") },
            { label: t("list.recipients") },
            { label: t("list.lastSend") },
            { label: t("list.actions"), srOnly: true },
          ]}
        >
          {templates.map((tpl) => {
            const who = recipients(tpl);
            return (
              <tr key={tpl.id} className="border-t border-slate-100 align-top">
                <td className="px-3 py-2 font-medium">
                  <Link href={`${base}/${tpl.id}`} className="text-brand-700 underline">{tpl.name}</Link>
                </td>
                <td className="max-w-xs px-3 py-2 break-words">
                  {tpl.channel === "sms" ? (
                    <>
                      <span className="mr-1 inline-block rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium text-slate-800">{t("list.sms")}</span>
                      {tpl.excerpt || <span className="text-slate-500">{t("list.noText")}</span>}
                    </>
                  ) : (
                    tpl.subject || <span className="text-slate-500">{t("list.noSubject")}</span>
                  )}
                </td>
                <td className="max-w-xs px-3 py-2">{who ?? <span className="text-slate-500">{t("list.noRecipients")}</span>}</td>
                <td className="whitespace-nowrap px-3 py-2">
                  {tpl.lastSend ? (
                    <Link href={`${base}/sends/${tpl.lastSend.id}`} className="flex flex-col gap-0.5 text-brand-700 underline">
                      <LocalDateTime value={tpl.lastSend.scheduledAt ?? tpl.lastSend.createdAt} />
                      <span><SendStatusBadge status={tpl.lastSend.completed ? "completed" : tpl.lastSend.status} /></span>
                    </Link>
                  ) : (
                    <span className="text-slate-500">{t("list.never")}</span>
                  )}
                </td>
                <td className="px-3 py-2">
                  <div className="flex flex-wrap justify-end gap-2">
                    <SendButton templateId={tpl.id} name={tpl.name} size="sm" channel={tpl.channel} />
                    <TemplateActions id={tpl.id} name={tpl.name} size="sm" />
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <Pager label={t("list.pagination")} href={(link) => `${base}?${templateQuery(filters, link)}`} page={page} urlPage={pageNumber(sp)} />
    </>
  );
}

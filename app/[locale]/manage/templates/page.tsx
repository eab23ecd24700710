import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { getTranslations } from "next-intl/server";
import { LocalDateTime } from "@/components/templates/local-time";
import { SendButton } from "@/components/templates/send-button";
import { SendStatusBadge } from "@/components/templates/send-status-badge";
import { TemplateActions } from "@/components/templates/template-actions";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { isLocale } from "@/lib/i18n/config";
import { parseId } from "@/lib/ids";
import { parseAddressList } from "@/lib/newsletters/addresses";
import { listGroups } from "@/lib/newsletters/groups";
import { parsePhoneList } from "@/lib/newsletters/phones";
import { listTemplates, type TemplateListRow } from "@/lib/newsletters/templates";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("title") };
}

export default async function TemplatesPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<{ before?: string }> }) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/templates`;
  const { site } = await requirePage("admin", locale, base);
  const before = parseId(sp.before) ?? undefined;
  const [t, { templates, next }, groups] = await Promise.all([getTranslations("templates"), listTemplates(site.id, { before }), listGroups(site, isLocale(locale) ? locale : "fr")]);
  const label = new Map(groups.map((g) => [g.id, g.label]));
  const recipients = ({ groupIds, pastedRecipients: pasted, channel }: TemplateListRow) => {
    const parts = groupIds.map((id) => label.get(id) ?? t("editor.groupGone", { id }));
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
      {templates.length === 0 ? (
        <EmptyState title={before ? t("list.noMore") : t("list.empty")}>
          {!before && <Link href={`${base}/new`} className="text-brand-700 underline">{t("list.emptyHint")}</Link>}
        </EmptyState>
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
      <nav aria-label={t("list.pagination")} className="mt-4 flex gap-4 text-sm">
        {before && <Link href={base} className="text-brand-700 underline">{t("list.first")}</Link>}
        {next && <Link href={`${base}?before=${next}`} className="text-brand-700 underline">{t("list.next")}</Link>}
      </nav>
    </>
  );
}

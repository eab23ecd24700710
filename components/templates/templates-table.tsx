import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable, RowActions } from "@/components/ui/data-table";
import type { TemplateListRow } from "@/lib/newsletters/template-list";
import { LocalDateTime } from "./local-time";
import { SendButton } from "./send-button";
import { SendStatusBadge } from "./send-status-badge";
import { TemplateActions } from "./template-actions";

/**
 * The templates list. Its actions stay on screen whatever the width: where the box is narrow (a
 * phone, or a 768 px screen beside the menu) the subject, the recipients and the last send are
 * lines under the name instead of columns (the queue's way), shown in one place at a time.
 * `who`: each template's recipients in words (null: none chosen), by id.
 */
export function TemplatesTable({ templates, who, base }: { templates: TemplateListRow[]; who: Map<number, string | null>; base: string }) {
  const t = useTranslations("templates");
  const subject = (tpl: TemplateListRow) =>
    tpl.channel === "sms" ? (
      <>
        <span className="mr-1 inline-block rounded bg-slate-200 px-1.5 py-0.5 text-xs font-medium text-slate-800">{t("list.sms")}</span>
        {tpl.excerpt || <span className="text-slate-500">{t("list.noText")}</span>}
      </>
    ) : (
      tpl.subject || <span className="text-slate-500">{t("list.noSubject")}</span>
    );
  const recipients = (tpl: TemplateListRow) => who.get(tpl.id) ?? <span className="text-slate-500">{t("list.noRecipients")}</span>;
  const lastSend = (tpl: TemplateListRow) =>
    tpl.lastSend ? (
      <Link href={`${base}/sends/${tpl.lastSend.id}`} className="inline-flex flex-col gap-0.5 text-brand-700 underline">
        <LocalDateTime value={tpl.lastSend.scheduledAt ?? tpl.lastSend.createdAt} cell />
        <span><SendStatusBadge status={tpl.lastSend.completed ? "completed" : tpl.lastSend.status} /></span>
      </Link>
    ) : (
      <span className="text-slate-500">{t("list.never")}</span>
    );
  return (
    <DataTable
      dated
      caption={t("title")}
      columns={[
        { label: t("list.name") },
        { label: t("list.subject"), className: "hidden @2xl:table-cell" },
        { label: t("list.recipients"), className: "hidden @2xl:table-cell" },
        { label: t("list.lastSend"), className: "hidden @md:table-cell" },
        { label: t("list.actions"), srOnly: true },
      ]}
    >
      {templates.map((tpl) => (
        <tr key={tpl.id} className="border-t border-slate-100 align-top">
          <td className="px-3 py-2 wrap-anywhere">
            <Link href={`${base}/${tpl.id}`} className="font-medium text-brand-700 underline">{tpl.name}</Link>
            <span className="mt-1 block text-slate-700 @2xl:hidden">{subject(tpl)}</span>
            <span className="mt-1 block text-xs text-slate-600 @2xl:hidden">{t("list.recipientsLine")} {recipients(tpl)}</span>
            <span className="mt-1 block text-xs @md:hidden">{t("list.lastSendLine")} {lastSend(tpl)}</span>
          </td>
          <td className="hidden max-w-xs px-3 py-2 break-words @2xl:table-cell">{subject(tpl)}</td>
          <td className="hidden max-w-xs px-3 py-2 @2xl:table-cell">{recipients(tpl)}</td>
          {/* With all the columns there is room for the date on one line (@4xl). */}
          <td className="hidden px-3 py-2 @md:table-cell @4xl:whitespace-nowrap">{lastSend(tpl)}</td>
          <RowActions>
            <SendButton templateId={tpl.id} name={tpl.name} size="sm" channel={tpl.channel} />
            <TemplateActions id={tpl.id} name={tpl.name} size="sm" />
          </RowActions>
        </tr>
      ))}
    </DataTable>
  );
}

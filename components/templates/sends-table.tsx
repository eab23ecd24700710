import Link from "next/link";
import { DataTable, RowActions } from "@/components/ui/data-table";
import { getTranslations } from "next-intl/server";
import type { NewsletterSend, TemplateChannel } from "@/db/schema";
import { CancelSendButton } from "./cancel-send-button";
import { LocalDateTime } from "./local-time";
import { SendStatusBadge } from "./send-status-badge";

/**
 * The sends of a template, newest first, each with its report and (if scheduled) a cancel. An
 * SMS send has no subject: its column holds the start of its text, and is labelled so.
 */
export async function SendsTable({ sends, locale, channel }: { sends: (NewsletterSend & { completed: boolean })[]; locale: string; channel: TemplateChannel }) {
  const t = await getTranslations("templates.sends");
  if (sends.length === 0) return <p className="text-sm text-slate-600">{t("empty")}</p>;
  return (
    <DataTable
      dated
      caption={t("caption")}
      columns={[
        { label: t("report") },
        // Hidden where the box is narrow (the send's date, status and cancel stay): the subject
        // is the template's own, shown above, and each report has the rest.
        { label: channel === "sms" ? t("smsText") : t("subject"), className: "hidden @4xl:table-cell" },
        { label: t("status") },
        { label: t("scheduledAt"), className: "hidden @2xl:table-cell" },
        { label: t("queuedAt"), className: "hidden @2xl:table-cell" },
        { label: t("recipients"), className: "hidden text-right @md:table-cell" },
        { label: t("actions"), srOnly: true },
      ]}
    >
      {sends.map((s) => (
        <tr key={s.id} className="border-t border-slate-100">
          <td className="px-3 py-2">
            <Link href={`/${locale}/manage/templates/sends/${s.id}`} className="text-brand-700 underline">
              <LocalDateTime value={s.createdAt} cell />
            </Link>
          </td>
          <td className="hidden max-w-[14rem] truncate px-3 py-2 @4xl:table-cell" title={s.subject}>{s.subject}</td>
          <td className="px-3 py-2"><SendStatusBadge status={s.completed ? "completed" : s.status} /></td>
          <td className="hidden px-3 py-2 @2xl:table-cell"><LocalDateTime value={s.scheduledAt} cell /></td>
          <td className="hidden px-3 py-2 @2xl:table-cell"><LocalDateTime value={s.queuedAt} cell /></td>
          <td className="hidden px-3 py-2 text-right tabular-nums @md:table-cell">{s.status === "queued" ? s.recipientCount : "—"}</td>
          <RowActions>{s.status === "scheduled" && <CancelSendButton sendId={s.id} />}</RowActions>
        </tr>
      ))}
    </DataTable>
  );
}

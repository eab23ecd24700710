import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { NewsletterSend } from "@/db/schema";
import { CancelSendButton } from "./cancel-send-button";
import { LocalDateTime } from "./local-time";
import { SendStatusBadge } from "./send-status-badge";

/** The sends of a template, newest first, each with its report and (if scheduled) a cancel. */
export async function SendsTable({ sends, locale }: { sends: NewsletterSend[]; locale: string }) {
  const t = await getTranslations("templates.sends");
  if (sends.length === 0) return <p className="text-sm text-slate-600">{t("empty")}</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-slate-100 text-left text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2">{t("report")}</th>
            <th scope="col" className="px-3 py-2">{t("subject")}</th>
            <th scope="col" className="px-3 py-2">{t("status")}</th>
            <th scope="col" className="px-3 py-2">{t("scheduledAt")}</th>
            <th scope="col" className="px-3 py-2">{t("queuedAt")}</th>
            <th scope="col" className="px-3 py-2 text-right">{t("recipients")}</th>
            <th scope="col" className="px-3 py-2"><span className="sr-only">{t("actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          {sends.map((s) => (
            <tr key={s.id} className="border-t border-slate-100">
              <td className="whitespace-nowrap px-3 py-2">
                <Link href={`/${locale}/manage/templates/sends/${s.id}`} className="text-brand-700 underline">
                  <LocalDateTime value={s.createdAt} />
                </Link>
              </td>
              <td className="max-w-xs truncate px-3 py-2" title={s.subject}>{s.subject}</td>
              <td className="px-3 py-2"><SendStatusBadge status={s.status} /></td>
              <td className="whitespace-nowrap px-3 py-2"><LocalDateTime value={s.scheduledAt} /></td>
              <td className="whitespace-nowrap px-3 py-2"><LocalDateTime value={s.queuedAt} /></td>
              <td className="px-3 py-2 text-right tabular-nums">{s.status === "queued" ? s.recipientCount : "—"}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right">
                {s.status === "scheduled" && <CancelSendButton sendId={s.id} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { StatusBadge } from "@/components/queue/status-badge";
import type { Channel, QueueStatus } from "@/db/schema";
import { BulkClient } from "./bulk-client";
import { useRowSelection } from "@/components/ui/use-row-selection";

export type TableRow = {
  id: number;
  href: string;
  recipient: string;
  recipientName: string;
  subject: string;
  channel: Channel;
  status: QueueStatus;
  attempts: number;
  queuedAt: string;
  sentAt: string | null;
  site: string;
  lastError: string | null;
  segments: number | null;
  deliveredAt: string | null;
};

/** The page of rows with checkboxes, and the bulk actions acting on them. */
export function QueueTableClient({ rows, showSite, filter }: { rows: TableRow[]; showSite: boolean; filter: string }) {
  const t = useTranslations("queue.table");
  const tc = useTranslations("queue.channel");
  const { selected, every, allRef, isSelected, toggle, toggleAll, clear } = useRowSelection(rows.map((r) => r.id));
  const cell = "px-3 py-2";
  return (
    <>
      <BulkClient selected={selected} filter={filter} onDone={clear} />
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
        <table className="min-w-full text-sm">
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-slate-100 text-left text-slate-700">
            <tr>
              <th scope="col" className={cell}>
                <input ref={allRef} type="checkbox" checked={every} onChange={(e) => toggleAll(e.target.checked)} aria-label={t("selectAll")} className="h-4 w-4" />
              </th>
              <th scope="col" className={cell}>{t("recipient")}</th>
              <th scope="col" className={cell}>{t("subject")}</th>
              <th scope="col" className={`${cell} hidden md:table-cell`}>{t("channel")}</th>
              <th scope="col" className={cell}>{t("status")}</th>
              <th scope="col" className={`${cell} hidden text-right lg:table-cell`}>{t("attempts")}</th>
              <th scope="col" className={`${cell} hidden sm:table-cell`}>{t("queuedAt")}</th>
              <th scope="col" className={`${cell} hidden lg:table-cell`}>{t("sentAt")}</th>
              {showSite && <th scope="col" className={`${cell} hidden md:table-cell`}>{t("site")}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={`border-t border-slate-100 align-top ${isSelected(r.id) ? "bg-brand-50" : ""}`}>
                <td className={cell}>
                  <input type="checkbox" checked={isSelected(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={t("select", { recipient: r.recipient })} className="h-4 w-4" />
                </td>
                <td className={`${cell} max-w-[16rem] break-words`}>
                  <Link href={r.href} className="text-brand-700 underline">{r.recipient}</Link>
                  {r.recipientName && <span className="block text-xs text-slate-500">{r.recipientName}</span>}
                </td>
                <td className={`${cell} max-w-[20rem] break-words`}>{r.subject || <span className="text-slate-400">{t("noSubject")}</span>}</td>
                <td className={`${cell} hidden md:table-cell`}>
                  {tc(r.channel)}
                  {r.segments !== null && <span className="block text-xs text-slate-500">{t("segments", { count: r.segments })}</span>}
                </td>
                <td className={cell}>
                  <StatusBadge status={r.status} />
                  {r.status === "error" && r.lastError && <span className="mt-1 block max-w-[14rem] truncate text-xs text-red-800" title={r.lastError}>{r.lastError}</span>}
                </td>
                <td className={`${cell} hidden text-right tabular-nums lg:table-cell`}>{r.attempts}</td>
                <td className={`${cell} hidden whitespace-nowrap sm:table-cell`}>{r.queuedAt}</td>
                <td className={`${cell} hidden whitespace-nowrap lg:table-cell`}>
                  {r.sentAt ?? "—"}
                  {r.deliveredAt && <span className="block text-xs text-green-800">{t("deliveredAt", { when: r.deliveredAt })}</span>}
                </td>
                {showSite && <td className={`${cell} hidden md:table-cell`}>{r.site}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

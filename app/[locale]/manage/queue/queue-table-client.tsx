"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/ui/data-table";
import { DayAndTime, type Moment } from "@/components/ui/day-and-time";
import { StatusBadge } from "@/components/queue/status-badge";
import { ErrorLines } from "@/components/queue/error-lines";
import type { ShownError } from "@/components/queue/error-text";
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
  queuedAt: Moment;
  sentAt: Moment | null;
  site: string;
  error: ShownError | null;
  segments: number | null;
  deliveredAt: string | null;
  receiptAt: string | null;
  /** Pending until then (formatted day and time): its SMS sending hours are closed. */
  heldUntil: { date: string; time: string } | null;
};

/** The page of rows with checkboxes, and the bulk actions acting on them. */
export function QueueTableClient({ rows, showSite, filter }: { rows: TableRow[]; showSite: boolean; filter: string }) {
  const t = useTranslations("queue.table");
  const tc = useTranslations("queue.channel");
  const { selected, every, allRef, isSelected, toggle, toggleAll, clear } = useRowSelection(rows.map((r) => r.id));
  // Narrower padding on a phone: with the status, every pixel keeps it on screen. The columns
  // shown follow the table's own width (DataTable is a size container), so that at any screen
  // width the status stays on screen and the subject is never squeezed to a word a line: below
  // @2xl (672 px) the subject is a line under the recipient; the channel and the sent date need
  // @4xl (896 px); the attempts, low value in the list (the row's page has them), more still.
  const cell = "px-2 py-2 @sm:px-3";
  return (
    <>
      <BulkClient selected={selected} filter={filter} onDone={clear} />
      <DataTable
        dated
        caption={t("caption")}
        columns={[
          { label: <input ref={allRef} type="checkbox" checked={every} onChange={(e) => toggleAll(e.target.checked)} aria-label={t("selectAll")} className="h-4 w-4" /> },
          { label: t("recipient") },
          { label: t("subject"), className: "hidden @2xl:table-cell" },
          { label: t("channel"), className: "hidden @4xl:table-cell" },
          { label: t("status") },
          { label: t("attempts"), className: "hidden text-right @6xl:table-cell" },
          { label: t("queuedAt"), className: "hidden @xl:table-cell" },
          { label: t("sentAt"), className: "hidden @4xl:table-cell" },
          ...(showSite ? [{ label: t("site"), className: "hidden @4xl:table-cell" }] : []),
        ]}
      >
        {rows.map((r) => (
          <tr key={r.id} className={`border-t border-slate-100 align-top ${isSelected(r.id) ? "bg-brand-50" : ""}`}>
            <td className={cell}>
              <input type="checkbox" checked={isSelected(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={t("select", { recipient: r.recipient })} className="h-4 w-4" />
            </td>
            {/* A long address may break anywhere, rather than push the next columns out of the box;
                in the widest box (60rem) an ordinary one keeps its line (min width). */}
            <td className={`${cell} max-w-[16rem] wrap-anywhere @min-[60rem]:min-w-[12rem]`}>
              {/* A formatted number breaks at its spaces unless told not to: it stays on one line. */}
              <Link href={r.href} className={`text-brand-700 underline ${r.channel === "sms" ? "whitespace-nowrap" : ""}`}>{r.recipient}</Link>
              {r.recipientName && <span className="block text-xs text-slate-500">{r.recipientName}</span>}
              <span className="block max-w-[8rem] truncate text-xs text-slate-600 @md:max-w-[14rem] @2xl:hidden">{r.subject || t("noSubject")}</span>
            </td>
            <td className={`${cell} hidden max-w-[20rem] min-w-[10rem] break-words @2xl:table-cell`}>{r.subject || <span className="text-slate-400">{t("noSubject")}</span>}</td>
            <td className={`${cell} hidden @4xl:table-cell`}>
              {tc(r.channel)}
              {r.segments !== null && <span className="block text-xs text-slate-500">{t("segments", { count: r.segments })}</span>}
            </td>
            <td className={cell}>
              <StatusBadge status={r.status} />
              {r.heldUntil && <span className="mt-1 block text-xs text-amber-900">{t("heldUntil", r.heldUntil)}</span>}
              {r.error && (
                <span className="mt-1 block max-w-[8rem] text-xs text-red-800 @xl:max-w-[11rem]">
                  <ErrorLines error={r.error} compact />
                </span>
              )}
            </td>
            <td className={`${cell} hidden text-right tabular-nums @6xl:table-cell`}>{r.attempts}</td>
            <td className={`${cell} hidden @xl:table-cell`}>
              <DayAndTime {...r.queuedAt} />
            </td>
            <td className={`${cell} hidden @4xl:table-cell`}>
              {r.sentAt ? <DayAndTime {...r.sentAt} /> : "—"}
              {r.deliveredAt && <span className="block text-xs text-green-800">{t("deliveredAt", { when: r.deliveredAt })}</span>}
              {!r.deliveredAt && r.receiptAt && <span className="block text-xs text-red-800">{t("undeliveredAt", { when: r.receiptAt })}</span>}
            </td>
            {showSite && <td className={`${cell} hidden wrap-anywhere @4xl:table-cell`}>{r.site}</td>}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

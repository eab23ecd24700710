"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/ui/data-table";
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
  queuedAt: string;
  sentAt: string | null;
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
  // Narrower padding on a phone: with the status, every pixel keeps it on screen.
  const cell = "px-2 py-2 sm:px-3";
  return (
    <>
      <BulkClient selected={selected} filter={filter} onDone={clear} />
      <DataTable
        dated
        caption={t("caption")}
        columns={[
          { label: <input ref={allRef} type="checkbox" checked={every} onChange={(e) => toggleAll(e.target.checked)} aria-label={t("selectAll")} className="h-4 w-4" /> },
          { label: t("recipient") },
          // Below md the subject is a line under the recipient, so the status stays on screen.
          { label: t("subject"), className: "hidden md:table-cell" },
          { label: t("channel"), className: "hidden md:table-cell" },
          { label: t("status") },
          // Low value in the list (the row's page has it): shown only where there is room to spare.
          { label: t("attempts"), className: "hidden text-right 2xl:table-cell" },
          { label: t("queuedAt"), className: "hidden sm:table-cell" },
          { label: t("sentAt"), className: "hidden lg:table-cell" },
          ...(showSite ? [{ label: t("site"), className: "hidden md:table-cell" }] : []),
        ]}
      >
        {rows.map((r) => (
          <tr key={r.id} className={`border-t border-slate-100 align-top ${isSelected(r.id) ? "bg-brand-50" : ""}`}>
            <td className={cell}>
              <input type="checkbox" checked={isSelected(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={t("select", { recipient: r.recipient })} className="h-4 w-4" />
            </td>
            {/* On a phone a long address may break anywhere, rather than push the next columns off the screen. */}
            <td className={`${cell} max-w-[16rem] wrap-anywhere md:wrap-break-word`}>
              {/* A formatted number breaks at its spaces unless told not to: it stays on one line. */}
              <Link href={r.href} className={`text-brand-700 underline ${r.channel === "sms" ? "whitespace-nowrap" : ""}`}>{r.recipient}</Link>
              {r.recipientName && <span className="block text-xs text-slate-500">{r.recipientName}</span>}
              <span className="block max-w-[8rem] truncate text-xs text-slate-600 md:hidden">{r.subject || t("noSubject")}</span>
            </td>
            <td className={`${cell} hidden max-w-[20rem] break-words md:table-cell`}>{r.subject || <span className="text-slate-400">{t("noSubject")}</span>}</td>
            <td className={`${cell} hidden md:table-cell`}>
              {tc(r.channel)}
              {r.segments !== null && <span className="block text-xs text-slate-500">{t("segments", { count: r.segments })}</span>}
            </td>
            <td className={cell}>
              <StatusBadge status={r.status} />
              {r.heldUntil && <span className="mt-1 block text-xs text-amber-900">{t("heldUntil", r.heldUntil)}</span>}
              {r.error && (
                <span className="mt-1 block max-w-[8rem] text-xs text-red-800 sm:max-w-[14rem]">
                  <ErrorLines error={r.error} compact />
                </span>
              )}
            </td>
            <td className={`${cell} hidden text-right tabular-nums 2xl:table-cell`}>{r.attempts}</td>
            <td className={`${cell} hidden whitespace-nowrap sm:table-cell`}>{r.queuedAt}</td>
            <td className={`${cell} hidden whitespace-nowrap lg:table-cell`}>
              {r.sentAt ?? "—"}
              {r.deliveredAt && <span className="block text-xs text-green-800">{t("deliveredAt", { when: r.deliveredAt })}</span>}
              {!r.deliveredAt && r.receiptAt && <span className="block text-xs text-red-800">{t("undeliveredAt", { when: r.receiptAt })}</span>}
            </td>
            {showSite && <td className={`${cell} hidden md:table-cell`}>{r.site}</td>}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

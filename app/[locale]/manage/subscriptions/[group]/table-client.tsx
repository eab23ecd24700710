"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { EraseDialog } from "@/components/subscriptions/erase-dialog";
import { DataTable } from "@/components/ui/data-table";
import { DayAndTime, type Moment } from "@/components/ui/day-and-time";
import { SubscriptionStatusBadge } from "@/components/subscriptions/status-badge";
import type { SubscriptionStatus } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { BulkClient } from "./bulk-client";
import { PhoneCell } from "./phone-client";
import { useRowSelection } from "@/components/ui/use-row-selection";
import { NoneMark } from "@/components/ui/none-mark";

export type TableRow = {
  id: number;
  email: string;
  /** Formatted for reading ("+33 6 12 34 56 78"), or null. */
  phone: string | null;
  smsOptedOut: boolean;
  name: string;
  /** The language stated (signup, add, import, "Set language"); null: not stated, the site's applies. */
  locale: Locale | null;
  status: SubscriptionStatus;
  source: "screen" | "signup" | "import";
  consentAt: Moment | null;
  consentText: string | null;
  confirmedAt: Moment | null;
  unsubscribedAt: Moment | null;
};

/** The page of subscriptions with checkboxes, and what can be done with the selection. */
/** `country`: the site's, named in the screen's language, in which a number typed nationally is read. */
export function SubscriptionsTableClient({ rows, group, siteLanguage, country, targets }: { rows: TableRow[]; group: number; siteLanguage: Locale; country: string; targets: { id: number; label: string }[] }) {
  const t = useTranslations("subscriptions.table");
  const tl = useTranslations("layout.languageLabel");
  const tsrc = useTranslations("subscriptions.source");
  const { selected, every, allRef, isSelected, toggle, toggleAll, clear } = useRowSelection(rows.map((r) => r.id));
  const [erasing, setErasing] = useState<string | null>(null);
  // Narrower padding on a phone keeps the mobile number whole on screen. The columns shown follow
  // the table's own width (DataTable is a size container), not the screen's: beside the menu a
  // 768 px screen leaves less room than a 640 px one, and no screen more than 1000 px. With all
  // ten columns (@4xl) the cells are narrower again: 8 px a side leaves the dates their room.
  const pad = "@sm:px-3 @4xl:px-2";
  const cell = `px-2 py-2 ${pad}`;
  const dash = <NoneMark label={t("none")} />;
  return (
    <>
      <BulkClient selected={selected} group={group} siteLanguage={siteLanguage} targets={targets} onDone={clear} />
      <EraseDialog email={erasing} onClose={() => setErasing(null)} />
      <DataTable
        dated
        caption={t("caption")}
        columns={[
          { label: <input ref={allRef} type="checkbox" checked={every} onChange={(e) => toggleAll(e.target.checked)} aria-label={t("selectAll")} className="h-4 w-4" />, className: pad },
          { label: t("email"), className: pad },
          { label: t("name"), className: `hidden @2xl:table-cell ${pad}` },
          { label: t("phone"), className: pad },
          // In a narrow box the status is shown under the email instead, so it is never out of sight.
          { label: t("status"), className: `hidden @md:table-cell ${pad}` },
          { label: t("language"), className: `hidden @xl:table-cell ${pad}` },
          { label: t("source"), className: `hidden @xl:table-cell ${pad}` },
          { label: t("consentAt"), className: `hidden @3xl:table-cell ${pad}` },
          { label: t("confirmedAt"), className: `hidden @4xl:table-cell ${pad}` },
          { label: t("unsubscribedAt"), className: `hidden @4xl:table-cell ${pad}` },
        ]}
      >
        {rows.map((r) => (
          <tr key={r.id} className={`border-t border-slate-100 align-top ${isSelected(r.id) ? "bg-brand-50" : ""}`}>
            <td className={cell}>
              <input type="checkbox" checked={isSelected(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={t("select", { email: r.email })} className="h-4 w-4" />
            </td>
            {/* A long address may break anywhere, rather than push the last columns out of the box
                (at 1280 px too); in a wider box an ordinary one keeps its line (min width). */}
            <td className={`${cell} max-w-[18rem] wrap-anywhere @2xl:min-w-[10rem]`}>
              {r.email}
              {r.name && <span className="block text-xs text-slate-500 @2xl:hidden">{r.name}</span>}
              <span className="my-1 block @md:hidden">
                <SubscriptionStatusBadge status={r.status} />
              </span>
              <button type="button" onClick={() => setErasing(r.email)} aria-label={t("eraseFor", { email: r.email })} className="block text-xs text-red-800 underline hover:text-red-900">
                {t("erase")}
              </button>
            </td>
            <td className={`${cell} hidden max-w-[14rem] min-w-[6rem] wrap-anywhere @2xl:table-cell`}>{r.name || dash}</td>
            {/* Shown on every screen size: it is where the number is edited. */}
            <td className={cell}>
              <PhoneCell id={r.id} group={group} email={r.email} phone={r.phone} optedOut={r.smsOptedOut} country={country} />
            </td>
            <td className={`${cell} hidden @md:table-cell`}>
              <SubscriptionStatusBadge status={r.status} />
            </td>
            <td className={`${cell} hidden @xl:table-cell`}>
              {r.locale ? (
                tl(r.locale)
              ) : (
                // Not stated: messages go in the site's language, shown as such but apart from a
                // language someone chose (a tooltip for the mouse, the same words for screen readers).
                <span className="text-slate-500 italic" title={t("languageNotStated")}>
                  {tl(siteLanguage)}
                  <span className="sr-only"> ({t("languageNotStated")})</span>
                </span>
              )}
            </td>
            <td className={`${cell} hidden @xl:table-cell`}>{tsrc(r.source)}</td>
            {/* The dates may break between day and time only: on one line each, the last column was cut at 1280 px. */}
            <td className={`${cell} hidden @3xl:table-cell`}>
              {r.consentAt ? <span title={r.consentText ?? undefined}><DayAndTime {...r.consentAt} /></span> : dash}
            </td>
            <td className={`${cell} hidden @4xl:table-cell`}>{r.confirmedAt ? <DayAndTime {...r.confirmedAt} /> : dash}</td>
            <td className={`${cell} hidden @4xl:table-cell`}>{r.unsubscribedAt ? <DayAndTime {...r.unsubscribedAt} /> : dash}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

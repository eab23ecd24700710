import type { ReactNode } from "react";
import { useZoneNote } from "./zone-note";

/**
 * A column heading: its content (text, or a control such as "select all"), its cell classes, and
 * `srOnly` for a heading only screen readers need (an actions column).
 */
export type Column = { label: ReactNode; className?: string; srOnly?: boolean };

/**
 * The frame every management table shares: a horizontally scrolling card, a caption for screen
 * readers, and a header row of `scope="col"` cells. The rows are the caller's (`children`).
 * Usable from server and client components alike (no state). `dated`: its rows show dates, and
 * the caption says, visibly, which zone they are in (see ZoneNote). `id`: for a control that sends
 * the focus to the list (the card is focusable).
 */
export function DataTable({ id, caption, columns, children, className = "", dated = false }: { id?: string; caption: string; columns: Column[]; children: ReactNode; className?: string; dated?: boolean }) {
  const zoneNote = useZoneNote();
  // The card scrolls sideways when the table is wider than its box: focusable and named, so that a
  // keyboard user can scroll it too (arrow keys), not only reach its links. It is also a size
  // container: a table hides its less important columns by the card's own width (`@xl:table-cell`)
  // rather than the screen's, since the side menu appears at md and leaves the table less room on
  // a 768 px screen (488 px) than on a 640 px one (608 px), and never more than 1000 px.
  return (
    <div id={id} role="region" aria-label={caption} tabIndex={0} className={`@container relative overflow-x-auto rounded-lg bg-white shadow-sm ${className}`}>
      <table className="min-w-full text-sm">
        {dated ? (
          <caption className="caption-top px-3 py-2 text-left text-xs text-slate-500">
            <span className="sr-only">{caption}. </span>
            {zoneNote}
          </caption>
        ) : (
          <caption className="sr-only">{caption}</caption>
        )}
        <thead className="bg-slate-100 text-left text-slate-700">
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={`px-3 py-2 ${c.className ?? ""}`}>
                {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A row's last cell, under an `srOnly` actions heading: its buttons and links at the row's end,
 * in the order given (the focus order), a gap between them, wrapping under each other where the
 * column is narrow (a phone). A control's error line may take a line of its own (`basis-full`).
 */
export function RowActions({ children }: { children: ReactNode }) {
  return (
    <td className="px-3 py-2">
      <div className="flex flex-wrap justify-end gap-2">{children}</div>
    </td>
  );
}

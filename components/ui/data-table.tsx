import type { ReactNode } from "react";

/**
 * A column heading: its content (text, or a control such as "select all"), its cell classes, and
 * `srOnly` for a heading only screen readers need (an actions column).
 */
export type Column = { label: ReactNode; className?: string; srOnly?: boolean };

/**
 * The frame every management table shares: a horizontally scrolling card, a caption for screen
 * readers, and a header row of `scope="col"` cells. The rows are the caller's (`children`).
 * Usable from server and client components alike (no state).
 */
export function DataTable({ caption, columns, children, className = "" }: { caption: string; columns: Column[]; children: ReactNode; className?: string }) {
  return (
    <div className={`relative overflow-x-auto rounded-lg bg-white shadow-sm ${className}`}>
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
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

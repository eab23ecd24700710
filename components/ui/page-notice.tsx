"use client";
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import { focusIsLost } from "./focus";

export type Notice = { ok: boolean; text: string };

type Held = { path: string; notice: Notice | null };
const PageNoticeContext = createContext<{ held: Held; show: (notice: Notice | null) => void } | null>(null);

/**
 * Holds the outcome of the last bulk change on a management page above the components that
 * made it. A change that empties a list replaces the table (and the buttons that asked for it)
 * with an empty state; a notice kept in those components would vanish with them, and the
 * person would never read "12 subscriptions removed". A notice belongs to the page (and the
 * filters) it was given on: another page, or the same list filtered otherwise, does not show it.
 */
export function PageNoticeProvider({ children }: { children: React.ReactNode }) {
  const path = usePagePath();
  const [held, setHeld] = useState<Held>({ path, notice: null });
  // Leaving the page drops its notice, so coming back to the same address shows none.
  if (held.path !== path) setHeld({ path, notice: null });
  const show = useCallback((notice: Notice | null) => setHeld({ path, notice }), [path]);
  return <PageNoticeContext.Provider value={{ held, show }}>{children}</PageNoticeContext.Provider>;
}

function usePagePath() {
  return `${usePathname()}?${useSearchParams().toString()}`;
}

function usePageNoticeContext() {
  const context = useContext(PageNoticeContext);
  if (!context) throw new Error("PageNoticeProvider is missing: the management layout provides it");
  return context;
}

/** Sets (or clears, with null) the page's notice. */
export function useShowPageNotice() {
  return usePageNoticeContext().show;
}

/**
 * Puts focus on the page's notice, if the page has one and it says something: where a keyboard
 * user is sent when the control they used is gone (a dialog's opener emptied away with its
 * list). An empty notice would be a silent stop; the caller's own answer may take focus later.
 */
export function focusPageNotice() {
  const notice = document.querySelector<HTMLElement>("[data-page-notice]");
  if (notice?.textContent) notice.focus();
}

/**
 * Where the page shows its notice: a live region, present even while empty. A notice given
 * when focus has fallen to the page (the pressed control went with the change) takes focus.
 */
export function PageNotice() {
  const { held } = usePageNoticeContext();
  const path = usePagePath();
  const notice = held.path === path ? held.notice : null;
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice && focusIsLost()) ref.current?.focus();
  }, [notice]);
  return <p ref={ref} tabIndex={-1} data-page-notice role="status" className={`mb-2 text-sm ${notice?.ok === false ? "text-red-800" : "text-slate-700"}`}>{notice?.text}</p>;
}

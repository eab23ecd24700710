"use client";
import { useEffect, type RefObject } from "react";
import { useTranslations } from "next-intl";

/**
 * Asks before unsaved changes are lost. A reload, a closed tab or another site: the browser's
 * own "leave site?" (`beforeunload`). A link inside the app: `beforeunload` never fires for it,
 * since next/link navigates without unloading, and the App Router has no way to block a
 * navigation (router events left with the Pages Router; next/link's `onNavigate` is per link,
 * and the side menu, the language switch and the back links are not the form's own). So a click
 * on a same-origin link is caught in the capture phase, before React sees it, and a dismissed
 * confirm() prevents its default: next/link then leaves the click alone (it skips a prevented
 * event), as does the browser for a plain <a>.
 *
 * The browser's Back button inside the app: a popstate cannot be cancelled, so once there are
 * changes the page puts a copy of its own history entry on top (same address, Next's state kept,
 * so the router treats going back to the page under it as staying). Back then lands on the page
 * itself and asks: kept, the copy is put back; agreed, one more step back leaves for real. Once
 * saved, the copy stays for the next change, and Back steps over it: one press still leaves.
 *
 * `leaving`: true while the form's own save runs; a create that redirects to the new page, or a
 * full page load Next falls back to, is not leaving with unsaved changes.
 */
/*
 * The copy of the page's history entry that stands between unsaved changes and Back, and the
 * page's question while it has some. Kept here, not in the entry's state: Next rewrites the
 * current entry's state when it refreshes the page (a save), and a lost mark would stack a
 * second copy. One listener serves every form, since one page is shown at a time.
 */
let copy: { href: string; atCopy: boolean } | null = null;
let askToLeave: (() => boolean) | null = null;
let listening = false;

function putCopy() {
  window.history.pushState({ ...window.history.state }, "", window.location.href);
  copy = { href: window.location.href, atCopy: true };
}

function onPopState() {
  if (!copy) return;
  if (window.location.href !== copy.href) {
    // Somewhere else in the history (a long press on Back): the copy is not ours to manage now.
    copy = null;
    return;
  }
  if (!copy.atCopy) {
    copy.atCopy = true; // Forward onto the copy again
    return;
  }
  // Back from the copy, onto the same page under it. With changes, ask; agreed, or with none
  // left (saved since), one more step back is where Back was meant to go.
  copy.atCopy = false;
  if (askToLeave && !askToLeave()) return putCopy();
  copy = null;
  window.history.back();
}

export function useUnsavedChanges(dirty: boolean, leaving?: RefObject<boolean>) {
  const message = useTranslations("layout")("unsavedLeave");
  useEffect(() => {
    if (!dirty) return;
    // Once the person agreed to leave, the unload that may follow (a plain <a>) does not ask again.
    let agreed = false;
    const ask = (e: Event) => {
      if (window.confirm(message)) {
        agreed = true;
        // Only for the navigation this starts: one that fails or is cut short leaves the page
        // here, still with its changes, and the next link must ask again.
        window.setTimeout(() => (agreed = false), 1_000);
      } else e.preventDefault();
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!agreed && !leaving?.current) e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      if (agreed || leaving?.current || e.defaultPrevented) return;
      // A new tab or window (modifier keys, middle button, target) leaves this page as it is.
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (!(link instanceof HTMLAnchorElement) || link.hasAttribute("download")) return;
      if (link.target && link.target !== "_self") return;
      const to = new URL(link.href, location.href);
      // Another site unloads this page: beforeunload asks. An anchor on this page loses nothing.
      if (to.origin !== location.origin) return;
      if (to.hash && to.pathname === location.pathname && to.search === location.search) return;
      ask(e);
    };
    // Forms elsewhere on the page that take the person away (signing out) ask the same question;
    // a prevented submit is one React's form action leaves alone.
    const onSubmit = (e: SubmitEvent) => {
      if (agreed || leaving?.current || e.defaultPrevented) return;
      if (e.target instanceof HTMLFormElement && e.target.hasAttribute("data-leaves-page")) ask(e);
    };
    if (!listening) {
      window.addEventListener("popstate", onPopState);
      listening = true;
    }
    if (!(copy?.atCopy && copy.href === window.location.href)) putCopy();
    const mine = () => {
      if (agreed || leaving?.current) return true;
      if (!window.confirm(message)) return false;
      agreed = true;
      window.setTimeout(() => (agreed = false), 1_000);
      return true;
    };
    askToLeave = mine;
    window.addEventListener("click", onClick, true);
    window.addEventListener("submit", onSubmit, true);
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      if (askToLeave === mine) askToLeave = null;
      window.removeEventListener("click", onClick, true);
      window.removeEventListener("submit", onSubmit, true);
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, [dirty, leaving, message]);
}

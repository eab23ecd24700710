"use client";
import { useEffect, useId, useRef } from "react";
import { canTakeFocus } from "@/components/ui/focus";
import { focusPageNotice } from "@/components/ui/page-notice";

/**
 * A modal confirmation on the native <dialog>: it traps focus, closes on Escape, and gives
 * focus back to the control that opened it. The safe choice (cancel) has focus first.
 *
 * Browsers do not reliably restore focus themselves when the dialog is closed from script, and
 * the opener may be gone or disabled by then (the list it acted on emptied): the page's notice,
 * which says what the dialog did, takes focus instead of the page body.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  canConfirm: boolean;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    }
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  // "close" fires however it closed (Escape, cancel, or the caller), after the page has changed.
  const onClose = () => {
    if (canTakeFocus(opener.current)) opener.current.focus();
    else focusPageNotice();
    opener.current = null;
    props.onClose();
  };
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-[min(32rem,calc(100%-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-6">
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">{props.title}</h2>
        <div className="text-sm text-slate-700" aria-live="polite">{props.children}</div>
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" autoFocus onClick={props.onClose} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
            {props.cancelLabel}
          </button>
          {props.canConfirm && (
            <button
              type="button"
              onClick={props.onConfirm}
              disabled={props.busy}
              aria-busy={props.busy}
              className={`rounded-md px-4 py-2 text-sm font-medium text-white disabled:opacity-60 ${props.danger ? "bg-red-700 hover:bg-red-800" : "bg-brand-700 hover:bg-brand-800"}`}
            >
              {props.confirmLabel}
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}

"use client";
import { useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/actions/action";

/**
 * A small form that opens in place of a button (a table cell's "Change", "Answer"), around one
 * `useActionState` state. It remembers the answer it was opened after, so it stays open until a
 * newer answer succeeds and shows only newer answers: reopening starts afresh, not with a
 * cancelled attempt's error. Focus goes to `field` when it opens and back to `opener` when it
 * closes, so a table can be worked through with the keyboard.
 */
export function useInlineForm<S extends ActionResult<unknown> | null>(state: S) {
  const [openedAfter, setOpenedAfter] = useState<S | undefined>(undefined);
  const answer = openedAfter === undefined || state === openedAfter ? null : state;
  const open = openedAfter !== undefined && !answer?.ok;
  const opener = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) field.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return {
    /** The latest answer since the form was opened, or null. */
    answer,
    open,
    openForm: () => setOpenedAfter(state),
    closeForm: () => setOpenedAfter(undefined),
    opener,
    field,
  };
}

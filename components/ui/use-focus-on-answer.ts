"use client";
import { useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions/action";
import { focusIsLost } from "./focus";

/**
 * Keeps keyboard users in place once an action answers (WCAG 2.4.3): a refused form puts focus
 * on its first invalid field, so they can correct it at once; otherwise, when the pressed button
 * went with the answer, focus lands on the message that says what happened instead of on the
 * page body (from where Tab restarts at the top).
 *
 * Returns the ref for that message (focusable with tabIndex={-1}); the form searched is the one
 * around it. Each answer is a new object, so the same answer twice still counts as an answer.
 */
export function useFocusOnAnswer<T extends HTMLElement>(answer: ActionResult<unknown> | null | undefined) {
  const message = useRef<T>(null);
  useEffect(() => {
    const element = message.current;
    if (!answer || !element) return;
    const invalid = answer.ok ? null : element.closest("form")?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else if (focusIsLost()) element.focus();
  }, [answer]);
  return message;
}

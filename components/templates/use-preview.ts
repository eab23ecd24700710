"use client";
import { useEffect, useState } from "react";

/** A template's content as the editor holds it: what a preview renders. */
export type TemplateContent = {
  subject: string;
  html: string;
  text: string;
  textEdited: boolean;
  fromName: string;
  fromAddress: string;
  groupIds: number[];
};
export type PreviewRequest = TemplateContent & { locale: string; audienceLocale?: string; as?: string };
export type PreviewResult = {
  subject: string;
  html: string;
  text: string;
  generatedText: string | null;
  unknown: string[];
  from: { name: string; address: string };
  recipient: { email: string; name: string };
};
/** `subscriberNotFound`, `failed`, or null. */
export type PreviewError = string | null;

/**
 * The editor's content rendered by POST /api/templates/preview, debounced while typing; a
 * newer request aborts the one still running, so the preview always shows the latest text.
 * `enabled: false` (an SMS template, previewed in the browser) asks nothing of the server.
 */
export function usePreview(request: PreviewRequest, delay = 350, enabled = true) {
  const [state, setState] = useState<{ result: PreviewResult | null; error: PreviewError; loading: boolean }>({ result: null, error: null, loading: true });
  const body = JSON.stringify(request);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const response = await fetch("/api/templates/preview", { method: "POST", headers: { "Content-Type": "application/json" }, body, signal: controller.signal, cache: "no-store" });
        const data = (await response.json().catch(() => null)) as (PreviewResult & { error?: string }) | null;
        // Aborted while the body was read (a newer request owns the state now): reading it
        // failed, yet `response.ok` is still true; taking `{}` for a result broke the page.
        if (controller.signal.aborted) return;
        if (!response.ok || !data || !("from" in data)) return setState((s) => ({ ...s, loading: false, error: data?.error === "subscriberNotFound" ? "subscriberNotFound" : "failed" }));
        setState({ result: data, error: null, loading: false });
      } catch {
        if (!controller.signal.aborted) setState((s) => ({ ...s, loading: false, error: "failed" }));
      }
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body, delay, enabled]);
  return state;
}

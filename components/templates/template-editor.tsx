"use client";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { FormAlert } from "@/components/ui/form-alert";
import { useRefreshOnSuccess } from "@/components/ui/use-refresh-on-success";
import type { ActionResult } from "@/lib/actions/action";
import { unknownPlaceholders } from "@/lib/newsletters/placeholders";
import { saveTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { LivePreview } from "./live-preview";
import { PlaceholderList } from "./placeholder-list";
import { PreviewAs } from "./preview-as";
import { RecipientsFieldset, type GroupOption } from "./recipients-fieldset";
import { SendPanel } from "./send-panel";
import { safeAction } from "./safe-action";
import { TextField } from "./text-field";
import { usePreview } from "./use-preview";

export type Draft = {
  name: string;
  subject: string;
  html: string;
  text: string;
  textEdited: boolean;
  fromName: string;
  fromAddress: string;
  replyTo: string;
  groupIds: number[];
  pastedRecipients: string;
};
type Target = "subject" | "html" | "text";

/** What "unsaved changes" compares: a text part that follows the HTML is not a change of its own. */
const snapshot = (d: Draft) => JSON.stringify({ ...d, text: d.textEdited ? d.text : "" });
type Saved = ActionResult<{ id: number; text: string; unknown: string[] } | undefined>;

/**
 * The template editor. Every value lives in this component's state, so a refused save or a
 * lost connection never clears what was typed; the preview follows the text as it is typed.
 */
export function TemplateEditor(props: {
  id?: number;
  initial: Draft;
  locale: string;
  groups: GroupOption[];
  limits: Record<"name" | "subject" | "html" | "text" | "fromName" | "address" | "pasted", number>;
  sender: { name: string; address: string };
  testAddress: string;
}) {
  const t = useTranslations("templates.editor");
  const [draft, setDraft] = useState(props.initial);
  const [saved, setSaved] = useState(() => snapshot(props.initial));
  const [target, setTarget] = useState<Target>("html");
  const [as, setAs] = useState<string | undefined>();
  const subjectRef = useRef<HTMLInputElement>(null);
  const htmlRef = useRef<HTMLTextAreaElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const current = useRef(draft);
  useEffect(() => {
    current.current = draft;
  }, [draft]);

  const [state, formAction, saving] = useActionState<Saved | null, FormData>(async (_previous, data) => {
    const submitted = current.current;
    const result = await safeAction(saveTemplateAction, data);
    if (result.ok && result.data) {
      setSaved(snapshot(submitted));
      const text = result.data.text;
      setDraft((d) => (d.textEdited || d.html !== submitted.html ? d : { ...d, text }));
    }
    return result;
  }, null);
  useRefreshOnSuccess(state);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const dirty = snapshot(draft) !== saved;

  const preview = usePreview({
    locale: props.locale,
    subject: draft.subject,
    html: draft.html,
    text: draft.textEdited ? draft.text : "",
    textEdited: draft.textEdited,
    fromName: draft.fromName,
    fromAddress: draft.fromAddress,
    groupIds: draft.groupIds,
    as,
  });
  // While nobody has edited the text part by hand, it follows the HTML.
  const generated = preview.result?.generatedText;
  useEffect(() => {
    if (generated === null || generated === undefined) return;
    const timer = setTimeout(() => setDraft((d) => (d.textEdited || d.text === generated ? d : { ...d, text: generated })));
    return () => clearTimeout(timer);
  }, [generated]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const insert = (token: string) => {
    const el = { subject: subjectRef, html: htmlRef, text: textRef }[target].current;
    const value = draft[target];
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    setDraft((d) => ({ ...d, [target]: value.slice(0, start) + token + value.slice(end), ...(target === "text" ? { textEdited: true } : {}) }));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const unknown = unknownPlaceholders(draft.subject, draft.html, draft.textEdited ? draft.text : "");
  const savedUnknown = state?.ok && state.data?.unknown.length ? state.data.unknown : null;
  const L = props.limits;

  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <div className="min-w-0 space-y-6">
        {/* onSubmit rather than action={…}: React resets a form after its action, and that would
            untick the controlled checkboxes in the page while the state still has them. */}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            startTransition(() => formAction(data));
          }}
          noValidate className="space-y-4 rounded-lg bg-white p-4 shadow-sm sm:p-6" aria-label={t("formLabel")}>
          <FormAlert state={state} success={savedUnknown ? undefined : t("saved")} />
          {savedUnknown && (
            <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("savedWithUnknown", { names: savedUnknown.map((u) => `{{${u}}}`).join(", ") })}</p>
          )}
          {props.id && <input type="hidden" name="id" value={props.id} />}
          <input type="hidden" name="locale" value={props.locale} />
          <input type="hidden" name="textEdited" value={draft.textEdited ? "on" : "off"} />
          <TextField name="name" label={t("name")} hint={t("nameHint")} required value={draft.name} onChange={set("name")} maxLength={L.name} error={errors?.name} />
          <TextField ref={subjectRef} name="subject" label={t("subject")} value={draft.subject} onChange={set("subject")} onFocus={() => setTarget("subject")} maxLength={L.subject} error={errors?.subject} />
          <TextField ref={htmlRef} name="html" label={t("html")} hint={t("htmlHint")} rows={14} mono value={draft.html} onChange={set("html")} onFocus={() => setTarget("html")} maxLength={L.html} error={errors?.html} />
          <div>
            <TextField
              ref={textRef}
              name="text"
              label={t("text")}
              hint={draft.textEdited ? t("textEditedHint") : t("textAutoHint")}
              rows={8}
              mono
              value={draft.text}
              onChange={(value) => setDraft((d) => ({ ...d, text: value, textEdited: true }))}
              onFocus={() => setTarget("text")}
              maxLength={L.text}
              error={errors?.text}
            />
            {draft.textEdited && (
              <button type="button" onClick={() => setDraft((d) => ({ ...d, textEdited: false, text: generated ?? d.text }))} className="mt-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
                {t("regenerate")}
              </button>
            )}
          </div>
          {unknown.length > 0 && (
            <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("unknownWarning", { names: unknown.map((u) => `{{${u}}}`).join(", ") })}</p>
          )}
          <fieldset className="grid gap-4 border-t border-slate-200 pt-4 sm:grid-cols-2">
            <legend className="text-base font-semibold text-slate-900">{t("sender")}</legend>
            <TextField name="fromName" label={t("fromName")} placeholder={props.sender.name} hint={t("defaultHint")} value={draft.fromName} onChange={set("fromName")} maxLength={L.fromName} error={errors?.fromName} />
            <TextField name="fromAddress" type="email" label={t("fromAddress")} placeholder={props.sender.address} hint={t("defaultHint")} value={draft.fromAddress} onChange={set("fromAddress")} maxLength={L.address} error={errors?.fromAddress} />
            <TextField name="replyTo" type="email" label={t("replyTo")} hint={t("replyToHint")} value={draft.replyTo} onChange={set("replyTo")} maxLength={L.address} error={errors?.replyTo} />
          </fieldset>
          <RecipientsFieldset groups={props.groups} groupIds={draft.groupIds} pasted={draft.pastedRecipients} maxPasted={L.pasted} errors={errors} onGroups={set("groupIds")} onPasted={set("pastedRecipients")} />
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
            <button type="submit" disabled={saving} aria-busy={saving} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
              {props.id ? t("save") : t("create")}
            </button>
            <span className="text-sm text-slate-600" aria-live="polite">{dirty && props.id ? t("unsaved") : ""}</span>
          </div>
        </form>
        {props.id && <SendPanel templateId={props.id} dirty={dirty} testAddress={props.testAddress} />}
      </div>
      <div className="min-w-0 space-y-6">
        <PlaceholderList target={target} onInsert={insert} />
        <section aria-labelledby="preview-title" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <h2 id="preview-title" className="text-base font-semibold">{t("previewTitle")}</h2>
          <PreviewAs groupIds={draft.groupIds} current={as} onPick={setAs} />
          <LivePreview {...preview} />
        </section>
      </div>
    </div>
  );
}

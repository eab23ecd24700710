"use client";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { SmsTextField } from "@/components/sms/sms-text-field";
import { FormAlert } from "@/components/ui/form-alert";
import { useUnsavedChanges } from "@/components/ui/use-unsaved-changes";
import type { TemplateChannel } from "@/db/schema";
import type { ActionResult } from "@/lib/actions/action";
import { failedInput } from "@/lib/actions/form-state";
import { renderSms, templateUnknownPlaceholders } from "@/lib/newsletters/placeholders";
import { saveTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { LivePreview } from "./live-preview";
import { PlaceholderList } from "./placeholder-list";
import { PreviewAs, type PreviewSubscriber } from "./preview-as";
import { RecipientsFieldset, type GroupOption } from "./recipients-fieldset";
import { SendPanel } from "./send-panel";
import { SmsPreview } from "./sms-preview";
import { safeAction } from "./safe-action";
import { TextField } from "./text-field";
import { usePreview, type TemplateContent } from "./use-preview";

export type Draft = TemplateContent & {
  name: string;
  channel: TemplateChannel;
  replyTo: string;
  /** "": the groups' subscribers in every language. */
  audienceLocale: string;
  pastedRecipients: string;
};
type Target = "subject" | "html" | "text";

/** What "unsaved changes" compares: a text part that follows the HTML is not a change of its own (an SMS's text is). */
const snapshot = (d: Draft) => JSON.stringify({ ...d, text: d.textEdited || d.channel === "sms" ? d.text : "" });
type Saved = ActionResult<{ id: number; text: string; unknown: string[] } | undefined>;

/**
 * The template editor. Every value lives in this component's state, so a refused save or a
 * lost connection never clears what was typed; the preview follows the text as it is typed.
 */
export function TemplateEditor(props: {
  id?: number;
  initial: Draft;
  locale: string;
  /** The site's language, which subscribers whose language is unknown read. */
  siteLocale: string;
  groups: GroupOption[];
  limits: Record<"name" | "subject" | "html" | "text" | "fromName" | "address" | "pasted", number>;
  sender: { name: string; address: string };
  /** What an SMS template needs to be previewed here: the site's SMS sender and per-send values. */
  /** `samplePhone`: the sample recipient's number (E.164), one of the site's country. */
  sms: { from: string; siteName: string; siteUrl: string; countryName: string; samplePhone: string };
  /** The template was sent (or scheduled): its channel is fixed. */
  channelLocked?: boolean;
  testAddress: string;
}) {
  const t = useTranslations("templates.editor");
  const tp = useTranslations("templates.preview");
  const tr = useTranslations();
  const [draft, setDraft] = useState(props.initial);
  const [saved, setSaved] = useState(() => snapshot(props.initial));
  const [target, setTarget] = useState<Target>(props.initial.channel === "sms" ? "text" : "html");
  const [as, setAs] = useState<PreviewSubscriber | undefined>();
  const sms = draft.channel === "sms";
  const subjectRef = useRef<HTMLInputElement>(null);
  const htmlRef = useRef<HTMLTextAreaElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const smsRef = useRef<HTMLTextAreaElement>(null);
  const current = useRef(draft);
  // Saving (or creating, which leaves for the new template's page) is not leaving with
  // unsaved changes: no "leave this page?" then, should Next fall back to a full page load.
  const submitting = useRef(false);
  useEffect(() => {
    current.current = draft;
  }, [draft]);

  const [state, formAction, saving] = useActionState<Saved | null, FormData>(async (_previous, data) => {
    const submitted = current.current;
    submitting.current = true;
    // A redirect (after creating) throws here: the page is being left, so the flag stays set.
    const result = await safeAction(saveTemplateAction, data);
    submitting.current = false;
    if (result.ok && result.data) {
      setSaved(snapshot(submitted));
      const text = result.data.text;
      setDraft((d) => (d.textEdited || d.html !== submitted.html ? d : { ...d, text }));
    }
    return result;
  }, null);
  const { errors } = failedInput(state);
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
    audienceLocale: draft.audienceLocale,
    as: as?.key,
  }, 350, !sms);
  // While nobody has edited the text part by hand, it follows the HTML.
  const generated = preview.result?.generatedText;
  useEffect(() => {
    if (generated === null || generated === undefined || sms) return;
    const timer = setTimeout(() => setDraft((d) => (d.textEdited || d.text === generated ? d : { ...d, text: generated })));
    return () => clearTimeout(timer);
  }, [generated, sms]);

  // Leaving by a link, the language switch, a reload or closing the tab asks first; the save does not.
  useUnsavedChanges(dirty, submitting);

  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const insert = (token: string) => {
    const field = sms ? "text" : target;
    const el = (sms ? smsRef : { subject: subjectRef, html: htmlRef, text: textRef }[target]).current;
    const value = draft[field];
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    setDraft((d) => ({ ...d, [field]: value.slice(0, start) + token + value.slice(end), ...(field === "text" ? { textEdited: true } : {}) }));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const setSmsText = (text: string) => setDraft((d) => ({ ...d, text, textEdited: true }));
  const switchChannel = (channel: TemplateChannel) => {
    // Nothing is cleared: the email fields wait, hidden, and the text carries over.
    setDraft((d) => ({ ...d, channel }));
    setTarget(channel === "sms" ? "text" : "html");
    setAs(undefined);
  };
  const unknown = templateUnknownPlaceholders(draft);
  const smsText = sms
    ? renderSms(draft.text, { site_name: props.sms.siteName, site_url: props.sms.siteUrl }, { name: as?.name ?? tp("sampleName"), phone: as?.key ?? tp("samplePhone", { phone: props.sms.samplePhone }) })
    : "";
  const savedUnknown = state?.ok && state.data?.unknown.length ? state.data.unknown : null;
  const L = props.limits;

  return (
    <div className="grid gap-6 lg:grid-cols-2">
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
            <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("savedWithUnknown", { names: savedUnknown.join(", ") })}</p>
          )}
          {props.id && <input type="hidden" name="id" value={props.id} />}
          <input type="hidden" name="locale" value={props.locale} />
          <input type="hidden" name="textEdited" value={draft.textEdited ? "on" : "off"} />
          <input type="hidden" name="channel" value={draft.channel} />
          <TextField name="name" label={t("name")} hint={t("nameHint")} required value={draft.name} onChange={set("name")} maxLength={L.name} error={errors?.name} />
          <fieldset aria-describedby={props.channelLocked || errors?.channel ? "channel-note" : undefined}>
            <legend className="block text-sm font-medium text-slate-800">{t("channel")}</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              {(["email", "sms"] as const).map((c) => (
                <label key={c} className="flex items-center gap-2 text-sm text-slate-800">
                  {/* Not named "channel": a disabled radio is not submitted, the hidden input above always is. */}
                  <input type="radio" name="channelChoice" value={c} checked={draft.channel === c} disabled={props.channelLocked} onChange={() => switchChannel(c)} className="h-4 w-4" />
                  {c === "sms" ? t("channelSms") : t("channelEmail")}
                </label>
              ))}
            </div>
            {errors?.channel ? (
              <p id="channel-note" className="mt-1 text-sm text-red-700">{tr(errors.channel.key, errors.channel.values)}</p>
            ) : (
              props.channelLocked && <p id="channel-note" className="mt-1 text-xs text-slate-600">{t("channelLocked")}</p>
            )}
          </fieldset>
          {sms ? (
            <SmsTextField ref={smsRef} name="text" label={t("smsText")} value={draft.text} error={errors?.text} rows={6} onTextChange={setSmsText} sent={smsText} />
          ) : (
            <>
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
            </>
          )}
          {unknown.length > 0 && (
            <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("unknownWarning", { names: unknown.join(", ") })}</p>
          )}
          {!sms && (
            <fieldset className="grid gap-4 border-t border-slate-200 pt-4 sm:grid-cols-2">
              <legend className="text-base font-semibold text-slate-900">{t("sender")}</legend>
              <TextField name="fromName" label={t("fromName")} placeholder={props.sender.name} hint={t("defaultHint", { value: props.sender.name })} value={draft.fromName} onChange={set("fromName")} maxLength={L.fromName} error={errors?.fromName} />
              <TextField name="fromAddress" type="email" label={t("fromAddress")} placeholder={props.sender.address} hint={t("defaultHint", { value: props.sender.address })} value={draft.fromAddress} onChange={set("fromAddress")} maxLength={L.address} error={errors?.fromAddress} />
              <TextField name="replyTo" type="email" label={t("replyTo")} hint={t("replyToHint")} value={draft.replyTo} onChange={set("replyTo")} maxLength={L.address} error={errors?.replyTo} />
            </fieldset>
          )}
          <RecipientsFieldset
            channel={draft.channel}
            countryName={props.sms.countryName}
            groups={props.groups}
            groupIds={draft.groupIds}
            audienceLocale={draft.audienceLocale}
            siteLocale={props.siteLocale}
            onAudienceLocale={(v) => {
              // Whom the preview shows may not be among the new language's readers.
              setAs(undefined);
              set("audienceLocale")(v);
            }}
            pasted={draft.pastedRecipients}
            maxPasted={L.pasted}
            errors={errors}
            onGroups={set("groupIds")}
            onPasted={set("pastedRecipients")}
          />
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
            <button type="submit" disabled={saving} aria-busy={saving} className="rounded-md bg-brand-700 px-4 py-2 text-sm font-medium text-white hover:bg-brand-800 disabled:opacity-60">
              {props.id ? t("save") : t("create")}
            </button>
            <span className="text-sm text-slate-600" aria-live="polite">{dirty && props.id ? t("unsaved") : ""}</span>
          </div>
        </form>
        {props.id && <SendPanel templateId={props.id} dirty={dirty} testAddress={props.testAddress} channel={draft.channel} />}
      </div>
      <div className="min-w-0 space-y-6">
        <PlaceholderList target={target} onInsert={insert} channel={draft.channel} />
        <section aria-labelledby="preview-title" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
          <h2 id="preview-title" className="text-base font-semibold">{t("previewTitle")}</h2>
          <PreviewAs key={`${draft.channel}-${draft.audienceLocale}`} groupIds={draft.groupIds} current={as} onPick={setAs} channel={draft.channel} readers={draft.audienceLocale} />
          {sms ? <SmsPreview from={props.sms.from} to={as?.label ?? tp("samplePhone", { phone: props.sms.samplePhone })} text={smsText} /> : <LivePreview {...preview} />}
        </section>
      </div>
    </div>
  );
}

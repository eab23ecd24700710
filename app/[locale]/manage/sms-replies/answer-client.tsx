"use client";
import { useActionState, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { BEING_WRITTEN, draftOf, keepDraft } from "@/components/sms/answer-drafts";
import { SmsTextField } from "@/components/sms/sms-text-field";
import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useInlineForm } from "@/components/ui/use-inline-form";
import { answerReplyAction } from "./actions";

/**
 * "Answer" under a reply: a text with its segment count, sent back to that number through the
 * queue. After a success the form closes and says so; on an error it stays open with the text.
 * Cancel or Escape closes it and keeps the draft for the next opening, also when the row comes
 * back after leaving the page (answer-drafts.ts), for the same `writer` (the signed-in user's id,
 * so that nobody else signing in on the tab finds it). Focus goes into the text when the form
 * opens and back to its button when it closes. Open or keeping a draft, it is marked as being written: new
 * replies then wait to be asked for instead of pushing it off the page (RepliesFollower).
 */
export function AnswerClient({ id, number, writer }: { id: number; number: string; writer: number }) {
  const t = useTranslations("smsReplies.answer");
  const [state, formAction] = useActionState(answerReplyAction, null);
  const { answer, open, openForm, closeForm, opener } = useInlineForm(state);
  const failed = answer && !answer.ok ? answer : null;
  const [draft, setDraft] = useState(() => draftOf(writer, id));
  useEffect(() => keepDraft(writer, id, draft), [writer, id, draft]);
  // Sent: the next answer starts afresh (adjusted while rendering, once per new answer).
  const [seen, setSeen] = useState(answer);
  if (answer !== seen) {
    setSeen(answer);
    if (answer?.ok) setDraft("");
  }
  return (
    // In the table's last column: sized by the table's own width (DataTable's container), not the screen's.
    <div className="text-right" {...(open || draft.trim() !== "" ? { [BEING_WRITTEN]: "" } : {})}>
      {/* Stays mounted in both views, so that the outcome is announced. */}
      <p role="status" className="text-xs text-brand-800">{answer?.ok && !open ? t("queued", { number: answer.data.phone }) : ""}</p>
      {open ? (
        <form action={formAction} noValidate aria-label={t("formFor", { number })} onKeyDown={(e) => e.key === "Escape" && !e.nativeEvent.isComposing && closeForm()} className="w-full min-w-[11rem] space-y-2 text-left @4xl:min-w-[16rem]">
          <FormAlert state={failed} />
          <input type="hidden" name="id" value={id} />
          <SmsTextField id={`answer-${id}`} name="text" label={t("text", { number })} value={draft} onTextChange={setDraft} error={failed?.fieldErrors?.text} rows={3} autoFocus />
          <div className="flex gap-3">
            <SubmitButton>{t("send")}</SubmitButton>
            <button type="button" onClick={closeForm} className="text-sm text-slate-700 underline">{t("cancel")}</button>
          </div>
        </form>
      ) : (
        <button ref={opener} type="button" onClick={openForm} aria-label={t("buttonFor", { number })} className="text-sm text-brand-700 underline hover:text-brand-800">
          {t("button")}
        </button>
      )}
    </div>
  );
}

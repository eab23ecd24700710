"use client";
import { useTranslations } from "next-intl";
import type { TemplateChannel } from "@/db/schema";
import { SendButton } from "./send-button";
import { TestSendForm } from "./test-send-form";

/** Test and send act on the saved template: with unsaved changes they wait for a save. */
export function SendPanel({ templateId, dirty, testAddress, channel = "email" }: { templateId: number; dirty: boolean; testAddress: string; channel?: TemplateChannel }) {
  const t = useTranslations("templates.send");
  return (
    <section aria-labelledby="send-title" className="space-y-4 rounded-lg bg-white p-4 shadow-sm sm:p-6">
      <h2 id="send-title" className="text-lg font-semibold">{t("panelTitle")}</h2>
      {dirty && <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("saveFirst")}</p>}
      <TestSendForm key={channel} templateId={templateId} defaultAddress={testAddress} disabled={dirty} channel={channel} />
      <div className="space-y-2 border-t border-slate-200 pt-4">
        <p className="text-sm text-slate-700">{t("panelIntro")}</p>
        <SendButton templateId={templateId} disabled={dirty} channel={channel} />
      </div>
    </section>
  );
}

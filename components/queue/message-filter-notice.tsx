import Link from "next/link";
import { useTranslations } from "next-intl";
import type { FilteredMessage } from "@/lib/queue/message-filter";

/** The queue narrowed to one message's rows (no form field shows it): said above the list, with the ways out. */
export function MessageFilterNotice({ message, without, locale }: { message: FilteredMessage; without: string; locale: string }) {
  const t = useTranslations("queue.messageFilter");
  return (
    <p role="status" className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">
      <span>{t("showing", { label: message.label })}</span>
      {message.sendId !== null && (
        <Link href={`/${locale}/manage/templates/sends/${message.sendId}`} className="underline">
          {t("report")}
        </Link>
      )}
      <Link href={without} className="underline">
        {t("all")}
      </Link>
    </p>
  );
}

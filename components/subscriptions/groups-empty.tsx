import Link from "next/link";
import { useTranslations } from "next-intl";
import { EmptyState } from "@/components/ui/empty-state";

/** What a subscriber group is, as the original product's documentation explains it. */
export function GroupsEmpty({ locale }: { locale: string }) {
  const t = useTranslations("subscriptions.empty");
  return (
    <EmptyState title={t("title")}>
      <div className="mx-auto max-w-2xl space-y-2 text-left">
        <p>{t("what", { key: "signup_opt<N>" })}</p>
        <p>
          {t("how")}{" "}
          <Link href={`/${locale}/manage/i18n`} className="text-brand-700 underline">{t("i18nLink")}</Link>.
        </p>
        <p>{t("where")}</p>
        <p>{t("emailOnly")}</p>
      </div>
    </EmptyState>
  );
}

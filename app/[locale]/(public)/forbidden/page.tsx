import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";

export default async function ForbiddenPage() {
  const [t, locale] = await Promise.all([getTranslations("forbidden"), getLocale()]);
  return (
    <div className="mx-auto max-w-lg rounded-lg bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-3 text-slate-700">{t("body")}</p>
      <Link href={`/${locale}`} className="mt-6 inline-block text-brand-700 underline">
        {t("home")}
      </Link>
    </div>
  );
}

import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { PublicFrame } from "@/components/layout/public-frame";

/**
 * What notFound() renders, with HTTP 404, for an unknown path under a locale ([...rest]) and for
 * a record that does not exist. Like forbidden.tsx it sits above both the public pages and
 * Manage, so it brings the public frame itself: header, skip link target and footer.
 */
export default async function NotFound() {
  const [t, locale] = await Promise.all([getTranslations("notFound"), getLocale()]);
  return (
    <PublicFrame>
      <div className="mx-auto max-w-lg rounded-lg bg-white p-8 text-center shadow-sm">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="mt-3 text-slate-700">{t("body")}</p>
        <Link href={`/${locale}`} className="mt-6 inline-block text-brand-700 underline">
          {t("home")}
        </Link>
      </div>
    </PublicFrame>
  );
}

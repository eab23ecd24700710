import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { PublicFrame } from "@/components/layout/public-frame";

/**
 * What forbidden() (lib/auth/guard.ts) renders, with HTTP 403, at the address that was asked for:
 * signed in, without the role. It sits above both the public pages and Manage, so it brings the
 * public frame itself (Manage's menu is not for this visitor).
 */
export default async function Forbidden() {
  const [t, locale] = await Promise.all([getTranslations("forbidden"), getLocale()]);
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

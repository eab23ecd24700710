import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";

/**
 * The unsubscribe page for a token no address holds (page.tsx calls notFound()), with a 404:
 * what the link is, what to do instead, and the way to the signup form. GET /api/unsubscribe
 * sends such a link here in the reader's language.
 */
export default async function InvalidUnsubscribeLink() {
  const [t, locale] = await Promise.all([getTranslations("newsletter.unsubscribe.invalid"), getLocale()]);
  return (
    <div className="mx-auto max-w-xl rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-2 text-2xl font-semibold">{t("title")}</h1>
      <p className="text-sm text-slate-700">{t("body")}</p>
      <Link href={`/${locale}#newsletter`} className="mt-6 inline-block text-brand-700 underline">
        {t("signup")}
      </Link>
    </div>
  );
}

import { getLocale, getTranslations } from "next-intl/server";
import { NewsletterSignup } from "@/components/newsletter/signup-section";
import { isLocale } from "@/lib/i18n/config";
import { currentSite } from "@/lib/sites/current";
import { subscribeAction } from "./newsletter/actions";

export default async function HomePage() {
  const [site, t, locale] = await Promise.all([currentSite(), getTranslations("home"), getLocale()]);
  return (
    <div className="space-y-12">
      <section className="rounded-xl bg-white px-6 py-12 shadow-sm">
        <h1 className="break-words text-3xl font-semibold text-slate-900">{t("title", { site: site.name })}</h1>
        <p className="mt-3 max-w-2xl text-slate-700">{t("intro")}</p>
      </section>
      {/* Just before the footer, as in the original product. */}
      <NewsletterSignup site={site} locale={isLocale(locale) ? locale : "fr"} action={subscribeAction} />
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import type { Site } from "@/db/schema";
import type { Locale } from "@/lib/i18n/config";
import { signupSection } from "@/lib/newsletters/signup-request";
import { SignupForm, type SignupFormAction } from "./signup-form";

/**
 * "Receive our news", just before the footer as in the original product. Left out entirely
 * while the site has no subscriber group. The action comes from the page (a server action).
 */
export async function NewsletterSignup({ site, locale, action }: { site: Site; locale: Locale; action: SignupFormAction }) {
  const section = await signupSection(site, locale);
  if (!section) return null;
  const t = await getTranslations("newsletter");
  return (
    <section id="newsletter" aria-labelledby="newsletter-title" className="rounded-xl bg-white px-6 py-8 shadow-sm">
      <h2 id="newsletter-title" className="text-xl font-semibold text-slate-900">
        {t("title")}
      </h2>
      <p className="mt-2 max-w-2xl text-sm text-slate-700">{t("intro")}</p>
      <div className="mt-6 max-w-xl">
        <SignupForm action={action} groups={section.groups} preselected={section.preselected} consent={section.consent} />
      </div>
    </section>
  );
}

import { getTranslations } from "next-intl/server";
import { currentSite } from "@/lib/sites/current";

export default async function HomePage() {
  const [site, t] = await Promise.all([currentSite(), getTranslations("home")]);
  return (
    <div className="space-y-12">
      <section className="rounded-xl bg-white px-6 py-12 shadow-sm">
        <h1 className="text-3xl font-semibold text-slate-900">{t("title", { site: site.name })}</h1>
        <p className="mt-3 max-w-2xl text-slate-700">{t("intro")}</p>
      </section>
      {/* The area just before the footer, as in the original product: the "Receive our news"
          signup goes here once newsletters exist. */}
      <div id="before-footer" />
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { currentSite } from "@/lib/sites/current";

export async function SiteFooter() {
  const [site, t] = await Promise.all([currentSite(), getTranslations("layout")]);
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto max-w-6xl px-4 py-6 text-sm text-slate-600">{t("footer", { site: site.name, year: new Date().getFullYear() })}</div>
    </footer>
  );
}

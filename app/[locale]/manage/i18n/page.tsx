import Link from "next/link";
import { shownDomain } from "@/lib/idn";
import { getTranslations } from "next-intl/server";
import { AddTranslationKey } from "@/components/manage/add-translation-key";
import { TranslationRow } from "@/components/manage/translation-row";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { catalog } from "@/lib/i18n/catalog";

type Search = { q?: string; page?: string; overridden?: string };

export async function generateMetadata() {
  return { title: (await getTranslations("i18n"))("title") };
}

export default async function I18nPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Search> }) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/i18n`;
  const { site } = await requirePage("admin", locale, base);
  const t = await getTranslations("i18n");
  const q = typeof sp.q === "string" ? sp.q.slice(0, 200) : "";
  const onlyOverridden = sp.overridden === "1";
  const result = await catalog(site.id, { q, page: Number(sp.page) || 1, onlyOverridden });
  const pageHref = (page: number) => `${base}?${new URLSearchParams({ ...(q ? { q } : {}), ...(onlyOverridden ? { overridden: "1" } : {}), page: String(page) })}`;
  return (
    <>
      <PageHeader title={t("title")} />
      <p className="mb-4 max-w-3xl text-sm text-slate-600">{t("intro", { site: shownDomain(site.domain) })}</p>
      <AddTranslationKey />
      <form role="search" action={base} className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="q" className="block text-sm font-medium">{t("search")}</label>
          <input id="q" name="q" defaultValue={q} placeholder={t("searchPlaceholder")} className="mt-1 w-72 max-w-full rounded-md border border-slate-500 px-3 py-2 text-sm placeholder:text-slate-600" />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="overridden" value="1" defaultChecked={onlyOverridden} className="h-4 w-4" />
          {t("onlyOverridden")}
        </label>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm">{t("filter")}</button>
      </form>
      <p className="mb-3 text-sm text-slate-600" aria-live="polite">{t("count", { count: result.total })}</p>
      {result.entries.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <ul className="space-y-3">
          {result.entries.map((entry) => (
            <TranslationRow key={entry.key} entry={entry} />
          ))}
        </ul>
      )}
      {result.pages > 1 && (
        <nav aria-label={t("pagination")} className="mt-4 flex items-center gap-3 text-sm">
          {result.page > 1 && <Link className="text-brand-700 underline" href={pageHref(result.page - 1)}>{t("previous")}</Link>}
          <span>{t("pageOf", { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages && <Link className="text-brand-700 underline" href={pageHref(result.page + 1)}>{t("next")}</Link>}
        </nav>
      )}
    </>
  );
}

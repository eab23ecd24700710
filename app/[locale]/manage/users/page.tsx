import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { listSites } from "@/lib/sites/manage";
import { listUsers } from "@/lib/users/list";
import { parseId } from "@/lib/ids";

type Search = { q?: string; after?: string; site?: string };

export async function generateMetadata() {
  return { title: (await getTranslations("users"))("title") };
}

export default async function UsersPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<Search> }) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/users`;
  const { actor, site } = await requirePage("admin", locale, base);
  const t = await getTranslations("users");
  const format = await getFormatter();
  const superuser = actor.role === "superuser";
  const siteFilter = superuser ? (sp.site === "all" ? null : (parseId(sp.site) ?? site.id)) : site.id;
  const q = typeof sp.q === "string" ? sp.q.slice(0, 200) : "";
  const after = parseId(sp.after) ?? undefined;
  const [{ users, next }, sites] = await Promise.all([listUsers({ siteId: siteFilter, q, after }), superuser ? listSites() : []]);
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...(q ? { q } : {}), ...(sp.site ? { site: sp.site } : {}), ...extra }).toString();

  return (
    <>
      <PageHeader title={t("title")}>
        <LinkButton href={`${base}/new`}>{t("new")}</LinkButton>
      </PageHeader>
      <form role="search" className="mb-4 flex flex-wrap items-end gap-3" action={base}>
        <div>
          <label htmlFor="q" className="block text-sm font-medium">{t("search")}</label>
          <input id="q" name="q" defaultValue={q} placeholder={t("searchPlaceholder")} className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-2 text-sm" />
        </div>
        {superuser && (
          <div>
            <label htmlFor="site" className="block text-sm font-medium">{t("site")}</label>
            <select id="site" name="site" defaultValue={sp.site ?? String(site.id)} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
              <option value="all">{t("allSites")}</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>{s.domain}</option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm">{t("filter")}</button>
      </form>
      {users.length === 0 ? (
        <EmptyState title={q ? t("noMatch", { q }) : t("empty")} />
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-100 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">{t("email")}</th>
                <th scope="col" className="px-3 py-2">{t("name")}</th>
                <th scope="col" className="px-3 py-2">{t("role")}</th>
                {superuser && <th scope="col" className="px-3 py-2">{t("site")}</th>}
                <th scope="col" className="px-3 py-2">{t("status")}</th>
                <th scope="col" className="px-3 py-2">{t("created")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} className="border-t border-slate-100">
                  <td className="px-3 py-2">
                    <Link href={`${base}/${u.id}`} className="text-brand-700 underline">{u.email}</Link>
                  </td>
                  <td className="px-3 py-2">{u.name}</td>
                  <td className="px-3 py-2">{t(`roles.${u.role}`)}</td>
                  {superuser && <td className="px-3 py-2">{u.siteDomain}</td>}
                  <td className="px-3 py-2">{u.disabled ? t("disabled") : t("active")}</td>
                  <td className="px-3 py-2">{format.dateTime(u.createdAt, { dateStyle: "medium" })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("pagination")} className="mt-4 flex gap-3">
        {after && <Link href={`${base}?${query({})}`} className="text-brand-700 underline">{t("first")}</Link>}
        {next && <Link href={`${base}?${query({ after: String(next) })}`} className="text-brand-700 underline">{t("next")}</Link>}
      </nav>
    </>
  );
}

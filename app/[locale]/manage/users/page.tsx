import Link from "next/link";
import { shownDomain, shownEmail } from "@/lib/idn";
import { getFormatter, getTranslations } from "next-intl/server";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { UserFilterForm } from "@/components/manage/user-filter-form";
import { requirePage } from "@/lib/auth/guard";
import { listSites } from "@/lib/sites/manage";
import { scopeUrlSite } from "@/lib/sites/scope";
import { canOpenUser, listUsers, parseUserFilters, userFiltersApplied, userQuery } from "@/lib/users/list";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { Pager } from "@/components/ui/pager";
import { pageNumber } from "@/lib/paging";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  return { title: (await getTranslations("users"))("title") };
}

export default async function UsersPage({ params, searchParams }: Props) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/users`;
  const { actor, site } = await requirePage("admin", locale, base);
  const superuser = actor.role === "superuser";
  const parsed = parseUserFilters(sp);
  const { filters, invalid } = parsed;
  const siteId = await scopeUrlSite(actor, site.id, parsed);
  const [t, tf, format, { users, ...page }, sites] = await Promise.all([
    getTranslations("users"),
    getTranslations("users.filters"),
    getFormatter(),
    listUsers({ siteId, q: filters.q, role: filters.role, status: filters.status, after: filters.after, before: filters.before }),
    superuser ? listSites() : [],
  ]);
  const query = userQuery(filters);
  const filtered = userFiltersApplied(filters);
  const cell = "px-3 py-2";

  return (
    <>
      <PageHeader title={t("title")}>
        <LinkButton href={`${base}/new`}>{t("new")}</LinkButton>
      </PageHeader>
      <UserFilterForm
        action={base}
        filters={filters}
        sites={superuser ? sites.map((s) => ({ id: s.id, domain: shownDomain(s.domain) })) : null}
        currentSiteId={site.id}
        exportHref={`/api/users/export${query ? `?${query}` : ""}`}
      />
      <IgnoredFilters names={invalid} labels="users.filters" />
      {users.length === 0 ? (
        <EmptyState title={filters.q ? t("noMatch", { q: filters.q }) : filtered ? t("noMatchFilters") : t("empty")}>
          {filtered && <Link href={base} className="text-brand-700 underline">{tf("reset")}</Link>}
        </EmptyState>
      ) : (
        <DataTable
          dated
          caption={t("caption")}
          // Columns by the table's own width (DataTable is a size container), not the screen's.
          columns={[
            { label: t("email") },
            { label: t("name"), className: "hidden @xl:table-cell" },
            { label: t("role") },
            ...(superuser && siteId === null ? [{ label: t("site"), className: "hidden @md:table-cell" }] : []),
            { label: t("status") },
            { label: t("created"), className: "hidden @2xl:table-cell" },
          ]}
        >
          {users.map((u) => (
            <tr key={u.id} className="border-t border-slate-100">
              {/* A long address may break anywhere rather than push the table out of its box (a phone). */}
              <td className={`${cell} max-w-[18rem] wrap-anywhere`}>
                {/* A superuser's account is not an admin's to open: named, without a dead link. */}
                {canOpenUser(actor, u) ? <Link href={`${base}/${u.id}`} className="text-brand-700 underline">{shownEmail(u.email)}</Link> : shownEmail(u.email)}
                {u.name && <span className="block text-xs text-slate-500 @xl:hidden">{u.name}</span>}
              </td>
              <td className={`${cell} hidden @xl:table-cell`}>{u.name}</td>
              <td className={cell}>
                {u.role === "superuser" ? <span className="rounded bg-brand-50 px-1.5 text-xs font-medium text-brand-800">{t("roles.superuser")}</span> : t(`roles.${u.role}`)}
              </td>
              {superuser && siteId === null && <td className={`${cell} hidden wrap-anywhere @md:table-cell`}>{shownDomain(u.siteDomain)}</td>}
              <td className={cell}>
                {u.disabled ? <span className="rounded bg-slate-200 px-1.5 text-xs font-medium text-slate-800">{t("disabled")}</span> : t("active")}
              </td>
              <td className={`${cell} hidden whitespace-nowrap @2xl:table-cell`}>{format.dateTime(u.createdAt, { dateStyle: "medium" })}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager label={t("pagination")} href={(link) => `${base}?${userQuery(filters, link)}`} page={page} urlPage={pageNumber(sp)} />
    </>
  );
}

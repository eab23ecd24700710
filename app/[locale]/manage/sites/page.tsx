import Link from "next/link";
import { shownDomain, shownEmail } from "@/lib/idn";
import { getTranslations } from "next-intl/server";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { refusedTitle, requirePage } from "@/lib/auth/guard";
import { listSites } from "@/lib/sites/manage";
import { siteBaseUrl, sitesMailingLocalLinks } from "@/lib/sites/url";

export async function generateMetadata() {
  const refused = await refusedTitle("superuser");
  return { title: refused ? { absolute: refused } : (await getTranslations("sites"))("title") };
}

export default async function SitesPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const base = `/${locale}/manage/sites`;
  await requirePage("superuser", locale, base);
  const [t, tl, sites] = await Promise.all([getTranslations("sites"), getTranslations("layout.languageLabel"), listSites()]);
  const local = sitesMailingLocalLinks(sites);
  return (
    <>
      <PageHeader title={t("title")}>
        <LinkButton href={`${base}/new`}>{t("new")}</LinkButton>
      </PageHeader>
      {local.length > 0 && (
        <p role="note" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t("localLinks", { count: local.length, domains: local.map((s) => shownDomain(s.domain)).join(", "), url: siteBaseUrl(local[0]) })}
        </p>
      )}
      {sites.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <DataTable
          caption={t("caption")}
          // Columns by the table's own width (DataTable is a size container); a long domain or sender
          // address may break anywhere rather than push the table out of its box.
          columns={[{ label: t("domain") }, { label: t("name") }, { label: t("defaultLocale"), className: "hidden @xl:table-cell" }, { label: t("sender"), className: "hidden @2xl:table-cell" }, { label: t("registration") }]}
        >
          {sites.map((s) => (
            <tr key={s.id} className="border-t border-slate-100">
              <td className="px-3 py-2 wrap-anywhere">
                <Link href={`${base}/${s.id}`} className="text-brand-700 underline">{shownDomain(s.domain)}</Link>
                {/* The space is text: without it a screen reader reads "localhostdefault". */}
                {s.isDefault && <> <span className="ml-1 rounded bg-slate-200 px-1.5 py-0.5 text-xs">{t("defaultBadge")}</span></>}
              </td>
              <td className="px-3 py-2">{s.name}</td>
              <td className="hidden px-3 py-2 @xl:table-cell">{tl(s.defaultLocale as "fr" | "en")}</td>
              <td className="hidden px-3 py-2 wrap-anywhere @2xl:table-cell">{s.senderEmail ? `${s.senderName} <${shownEmail(s.senderEmail)}>` : "—"}</td>
              <td className="px-3 py-2">{s.registrationOpen ? t("open") : t("closed")}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

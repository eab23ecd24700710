import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import type { Locale } from "@/lib/i18n/config";
import { parseId } from "@/lib/ids";
import { listGroups } from "@/lib/newsletters/groups";
import { MAX_CSV_BYTES } from "@/lib/newsletters/import-limits";
import { ImportClient } from "./import-client";
import { siteLocale } from "@/lib/i18n/reader-locale";
import { countryName } from "@/lib/newsletters/phones";

export async function generateMetadata() {
  return { title: (await getTranslations("subscriptions.import"))("title") };
}

export default async function ImportPage({ params }: { params: Promise<{ locale: string; group: string }> }) {
  const { locale, group: raw } = await params;
  const base = `/${locale}/manage/subscriptions`;
  const { site } = await requirePage("admin", locale, `${base}/${raw}/import`);
  const groupId = parseId(raw);
  const group = groupId === null ? undefined : (await listGroups(site, locale as Locale)).find((g) => g.id === groupId);
  if (!group) notFound();
  const t = await getTranslations("subscriptions");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`${base}/${group.id}`} className="text-brand-700 underline">{t("import.backTo", { group: group.label })}</Link>
      </p>
      <PageHeader title={t("import.heading", { group: group.label })} />
      <ImportClient group={group.id} groupHref={`${base}/${group.id}`} maxBytes={MAX_CSV_BYTES} siteLanguage={siteLocale(site.defaultLocale)} country={countryName(site.defaultCountry, locale)} />
    </>
  );
}

import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/page-header";
import { SiteForm } from "@/components/manage/site-form";
import { timeZoneChoices } from "@/lib/time-zone";
import { DEFAULT_COUNTRY } from "@/lib/sms/phone";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { refusedTitle, requirePage } from "@/lib/auth/guard";
import { saveSiteAction } from "../actions";

export async function generateMetadata() {
  const refused = await refusedTitle("superuser");
  return { title: refused ? { absolute: refused } : (await getTranslations("sites"))("new") };
}

export default async function NewSitePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const base = `/${locale}/manage/sites`;
  await requirePage("superuser", locale, `${base}/new`);
  const t = await getTranslations("sites");
  return (
    <>
      <PageHeader title={t("new")} />
      <SiteForm action={saveSiteAction} back={base} timeZones={timeZoneChoices()} phone={phoneExamples(DEFAULT_COUNTRY, locale)} />
    </>
  );
}

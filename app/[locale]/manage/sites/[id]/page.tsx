import { notFound } from "next/navigation";
import { shownDomain, shownEmail } from "@/lib/idn";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/page-header";
import { SiteForm } from "@/components/manage/site-form";
import { timeZoneChoices } from "@/lib/time-zone";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { refusedTitle, requirePage } from "@/lib/auth/guard";
import { formSmsUrl, getSite } from "@/lib/sites/manage";
import { parseId } from "@/lib/ids";
import { saveSiteAction } from "../actions";

// A generic title: metadata resolves even when the page answers 403 or 404, so it never names the record.
export async function generateMetadata() {
  const refused = await refusedTitle("superuser");
  return { title: refused ? { absolute: refused } : (await getTranslations("sites"))("editTitle") };
}

export default async function EditSitePage({ params, searchParams }: { params: Promise<{ locale: string; id: string }>; searchParams: Promise<{ created?: string }> }) {
  const [{ locale, id }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/sites`;
  await requirePage("superuser", locale, `${base}/${id}`);
  const siteId = parseId(id);
  const site = siteId ? await getSite(siteId) : null;
  if (!site) notFound();
  const t = await getTranslations("sites");
  const smsUrl = formSmsUrl(site);
  return (
    <>
      <PageHeader title={shownDomain(site.domain)} />
      {sp.created && <p role="status" className="mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">{t("createdNotice")}</p>}
      {smsUrl.unreadable && <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("smsUrlUnreadable")}</p>}
      <SiteForm action={saveSiteAction} back={base} timeZones={timeZoneChoices()} phone={phoneExamples(site.defaultCountry, locale)} // The domain and sender as people write them: the form's schema stores them in ASCII again (lib/sites/schema.ts).
        site={{ ...site, domain: shownDomain(site.domain), senderEmail: shownEmail(site.senderEmail), smsUrl: smsUrl.shown }} />
    </>
  );
}

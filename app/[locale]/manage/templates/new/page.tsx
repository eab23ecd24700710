import { getTranslations } from "next-intl/server";
import { TemplateEditor } from "@/components/templates/template-editor";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { isLocale } from "@/lib/i18n/config";
import { listGroups } from "@/lib/newsletters/groups";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { TEMPLATE_LIMITS } from "@/lib/newsletters/templates";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import { shownSmsSender } from "@/lib/sms/sender";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("new") };
}

export default async function NewTemplatePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const { site, actor } = await requirePage("admin", locale, `/${locale}/manage/templates/new`);
  const [t, groups] = await Promise.all([getTranslations("templates"), listGroups(site, isLocale(locale) ? locale : "fr")]);
  const sender = siteSender(site);
  // The preview's sample recipient and the pasted numbers' hint: the site's country, where numbers are read.
  const phone = phoneExamples(site.defaultCountry, locale);
  return (
    <>
      <PageHeader title={t("new")} />
      <TemplateEditor
        locale={locale}
        siteLocale={site.defaultLocale}
        groups={groups.map((g) => ({ id: g.id, label: g.label }))}
        limits={TEMPLATE_LIMITS}
        sender={{ name: sender.fromName, address: sender.fromAddress }}
        sms={{ from: shownSmsSender(site), siteName: site.name, siteUrl: siteBaseUrl(site), countryName: phone.country, samplePhone: phone.e164 }}
        testAddress={actor.email}
        initial={{ name: "", channel: "email", subject: "", html: "", text: "", textEdited: false, fromName: "", fromAddress: "", replyTo: "", groupIds: [], audienceLocale: "", pastedRecipients: "" }}
      />
    </>
  );
}

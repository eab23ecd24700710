import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SendsTable } from "@/components/templates/sends-table";
import { TemplateActions } from "@/components/templates/template-actions";
import { TemplateEditor } from "@/components/templates/template-editor";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { isLocale } from "@/lib/i18n/config";
import { parseId } from "@/lib/ids";
import { listGroups } from "@/lib/newsletters/groups";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { getTemplate } from "@/lib/newsletters/send";
import { listSends, TEMPLATE_LIMITS } from "@/lib/newsletters/templates";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import { shownSmsSender } from "@/lib/sms/sender";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("editTitle") };
}

export default async function EditTemplatePage({ params, searchParams }: { params: Promise<{ locale: string; id: string }>; searchParams: Promise<{ created?: string; cloned?: string }> }) {
  const [{ locale, id }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/templates`;
  const { site, actor } = await requirePage("admin", locale, `${base}/${id}`);
  const templateId = parseId(id);
  const template = templateId ? await getTemplate(site.id, templateId) : null;
  if (!template) notFound();
  const [t, groups, sends] = await Promise.all([getTranslations("templates"), listGroups(site, isLocale(locale) ? locale : "fr"), listSends(site.id, template.id)]);
  const sender = siteSender(site);
  // The preview's sample recipient and the pasted numbers' hint: the site's country, where numbers are read.
  const phone = phoneExamples(site.defaultCountry, locale);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={base} className="text-brand-700 underline">{t("back")}</Link>
      </p>
      <PageHeader title={template.name}>
        <div className="flex flex-wrap items-start gap-2">
          <TemplateActions id={template.id} name={template.name} afterDelete={base} />
        </div>
      </PageHeader>
      {(sp.created || sp.cloned) && (
        <p role="status" className="mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">{sp.cloned ? t("clonedNotice") : t("createdNotice")}</p>
      )}
      <TemplateEditor
        key={template.id}
        id={template.id}
        locale={locale}
        siteLocale={site.defaultLocale}
        groups={groups.map((g) => ({ id: g.id, label: g.label }))}
        limits={TEMPLATE_LIMITS}
        sender={{ name: sender.fromName, address: sender.fromAddress }}
        sms={{ from: shownSmsSender(site), siteName: site.name, siteUrl: siteBaseUrl(site), countryName: phone.country, samplePhone: phone.e164 }}
        channelLocked={sends.length > 0}
        testAddress={actor.email}
        initial={{
          name: template.name,
          channel: template.channel,
          subject: template.subject,
          html: template.html,
          text: template.text,
          textEdited: template.textEdited,
          fromName: template.fromName,
          fromAddress: template.fromAddress,
          replyTo: template.replyTo ?? "",
          groupIds: template.groupIds,
          audienceLocale: template.audienceLocale ?? "",
          pastedRecipients: template.pastedRecipients,
        }}
      />
      <section aria-labelledby="sends-title" className="mt-8">
        <h2 id="sends-title" className="mb-2 text-lg font-semibold">{t("sends.title")}</h2>
        <SendsTable sends={sends} locale={locale} channel={template.channel} />
      </section>
    </>
  );
}

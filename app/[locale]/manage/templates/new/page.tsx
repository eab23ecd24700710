import { getTranslations } from "next-intl/server";
import { TemplateEditor } from "@/components/templates/template-editor";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { isLocale } from "@/lib/i18n/config";
import { listGroups } from "@/lib/newsletters/groups";
import { TEMPLATE_LIMITS } from "@/lib/newsletters/templates";
import { siteSender } from "@/lib/sites/url";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("new") };
}

export default async function NewTemplatePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const { site, actor } = await requirePage("admin", locale, `/${locale}/manage/templates/new`);
  const [t, groups] = await Promise.all([getTranslations("templates"), listGroups(site, isLocale(locale) ? locale : "fr")]);
  const sender = siteSender(site);
  return (
    <>
      <PageHeader title={t("new")} />
      <TemplateEditor
        locale={locale}
        groups={groups.map((g) => ({ id: g.id, label: g.label }))}
        limits={TEMPLATE_LIMITS}
        sender={{ name: sender.fromName, address: sender.fromAddress }}
        testAddress={actor.email}
        initial={{ name: "", subject: "", html: "", text: "", textEdited: false, fromName: "", fromAddress: "", replyTo: "", groupIds: [], pastedRecipients: "" }}
      />
    </>
  );
}

import { getTranslations } from "next-intl/server";
import { shownDomain } from "@/lib/idn";
import { PageHeader } from "@/components/ui/page-header";
import { UserForm } from "@/components/manage/user-form";
import { requirePage } from "@/lib/auth/guard";
import { listSites } from "@/lib/sites/manage";
import { createUserAction } from "../actions";

export async function generateMetadata() {
  return { title: (await getTranslations("users"))("new") };
}

export default async function NewUserPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const base = `/${locale}/manage/users`;
  const { actor, site } = await requirePage("admin", locale, `${base}/new`);
  const t = await getTranslations("users");
  const superuser = actor.role === "superuser";
  return (
    <>
      <PageHeader title={t("new")} />
      <UserForm
        action={createUserAction}
        back={base}
        canChangeRole={superuser}
        // Only what the choice needs reaches the browser, each domain as people write it.
        sites={superuser ? (await listSites()).map((s) => ({ id: s.id, domain: shownDomain(s.domain) })) : undefined}
        user={{ name: "", email: "", locale: site.defaultLocale, role: "member", siteId: site.id }}
      />
    </>
  );
}

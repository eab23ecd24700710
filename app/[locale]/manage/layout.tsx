import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { safePath } from "@/lib/safe-path";
import { SiteHeader } from "@/components/layout/site-header";
import { manageMenu } from "@/components/manage/menu";
import { SideNav } from "@/components/manage/side-nav";
import { PageNoticeProvider } from "@/components/ui/page-notice";
import { refusedTitle, requirePage } from "@/lib/auth/guard";
import { allowed } from "@/lib/auth/roles";

export async function generateMetadata() {
  // Refused, every page under Manage is titled so: a template without %s replaces their titles.
  const refused = await refusedTitle("admin");
  if (refused) return { title: { template: refused, default: refused } };
  const manage = (await getTranslations("manage"))("title");
  return { title: { template: `%s · ${manage}`, default: manage } };
}

export default async function ManageLayout({ children, params }: { children: React.ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const here = safePath((await headers()).get("x-chora-path")) ?? `/${locale}/manage`;
  const { actor, site } = await requirePage("admin", locale, here);
  const sections = manageMenu
    .map((s) => ({ ...s, items: s.items.filter((i) => allowed(actor, site.id, i.role)) }))
    .filter((s) => s.items.length > 0);
  return (
    <div className="flex min-h-screen flex-col">
      <SiteHeader />
      <div className="mx-auto flex w-full max-w-7xl flex-1 flex-col gap-6 px-4 py-6 md:flex-row">
        <aside className="md:w-56 md:shrink-0">
          <SideNav sections={sections} />
        </aside>
        <main id="main" className="min-w-0 flex-1">
          <PageNoticeProvider>{children}</PageNoticeProvider>
        </main>
      </div>
    </div>
  );
}

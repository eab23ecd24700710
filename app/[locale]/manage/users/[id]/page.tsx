import { forbidden, notFound } from "next/navigation";
import { shownDomain, shownEmail } from "@/lib/idn";
import { getSite } from "@/lib/sites/manage";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/page-header";
import { UserForm } from "@/components/manage/user-form";
import { requirePage } from "@/lib/auth/guard";
import { findManagedUser } from "@/lib/users/manage";
import { canOpenUser } from "@/lib/users/list";
import { parseId } from "@/lib/ids";
import { updateUserAction } from "../actions";

// A generic title: metadata resolves even when the page answers 403 or 404, so it never names the record.
export async function generateMetadata() {
  return { title: (await getTranslations("users"))("editTitle") };
}

export default async function EditUserPage({ params, searchParams }: { params: Promise<{ locale: string; id: string }>; searchParams: Promise<{ created?: string }> }) {
  const [{ locale, id }, sp] = await Promise.all([params, searchParams]);
  const base = `/${locale}/manage/users`;
  const { actor, site } = await requirePage("admin", locale, `${base}/${id}`);
  const t = await getTranslations("users");
  const userId = parseId(id);
  const user = userId ? await findManagedUser(userId, actor.role === "superuser" ? null : site.id) : null;
  if (!user) notFound();
  // The list shows this account (marked) to an admin, so it exists for them: refused, not missing.
  if (!canOpenUser(actor, user)) forbidden();
  const accountSite = actor.role === "superuser" ? await getSite(user.siteId) : null;
  return (
    <>
      <PageHeader title={shownEmail(user.email)} />
      {/* A superuser reaches accounts of every site: which one this is (an admin's are all their own). */}
      {accountSite && <p className="-mt-4 mb-4 text-sm text-slate-600">{t("ofSite", { site: shownDomain(accountSite.domain) })}</p>}
      {sp.created && <p role="status" className="mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800">{t("createdNotice")}</p>}
      <UserForm
        action={updateUserAction}
        back={base}
        canChangeRole={actor.role === "superuser"}
        self={user.id === actor.id}
        // The address as people write it: the form stores it in ASCII again (lib/email-field.ts).
        user={{ id: user.id, name: user.name, email: shownEmail(user.email), locale: user.locale, role: user.role, disabled: !!user.disabledAt }}
      />
    </>
  );
}

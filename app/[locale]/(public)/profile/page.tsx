import { getTranslations } from "next-intl/server";
import { shownEmail } from "@/lib/idn";
import { requirePage } from "@/lib/auth/guard";
import { PasswordForm, ProfileForm } from "./profile-forms";

export async function generateMetadata() {
  return { title: (await getTranslations("profile"))("title") };
}

export default async function ProfilePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const { actor } = await requirePage("member", locale, `/${locale}/profile`);
  const t = await getTranslations("profile");
  return (
    <div className="mx-auto grid max-w-3xl gap-6 md:grid-cols-2">
      <section className="rounded-lg bg-white p-6 shadow-sm" aria-labelledby="profile-heading">
        <h1 id="profile-heading" className="mb-1 text-xl font-semibold">{t("title")}</h1>
        <p className="mb-4 text-sm text-slate-600">{shownEmail(actor.email)}</p>
        <ProfileForm name={actor.name} locale={actor.locale} />
      </section>
      <section className="rounded-lg bg-white p-6 shadow-sm" aria-labelledby="password-heading">
        <h2 id="password-heading" className="mb-4 text-xl font-semibold">{t("passwordTitle")}</h2>
        <PasswordForm />
      </section>
    </div>
  );
}

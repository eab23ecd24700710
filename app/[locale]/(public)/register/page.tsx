import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/ui/empty-state";
import { currentSite } from "@/lib/sites/current";
import { RegisterForm } from "./register-form";

export async function generateMetadata() {
  return { title: (await getTranslations("register"))("title") };
}

export default async function RegisterPage() {
  const [t, site] = await Promise.all([getTranslations("register"), currentSite()]);
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-6 text-2xl font-semibold">{t("title")}</h1>
      {site.registrationOpen ? <RegisterForm /> : <EmptyState title={t("closed")} />}
    </div>
  );
}

import { getTranslations } from "next-intl/server";
import { resetTokenUsable } from "@/lib/auth/password-reset";
import { currentSite } from "@/lib/sites/current";
import { ResetPasswordForm } from "./reset-password-form";

export async function generateMetadata() {
  return { title: (await getTranslations("passwordReset"))("resetTitle") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const [{ token }, t, site] = await Promise.all([searchParams, getTranslations("passwordReset"), currentSite()]);
  const usable = typeof token === "string" && token.length <= 200 && (await resetTokenUsable(site, token));
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-6 text-2xl font-semibold">{t("resetTitle")}</h1>
      <ResetPasswordForm token={usable ? token : null} />
    </div>
  );
}

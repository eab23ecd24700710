import { getTranslations } from "next-intl/server";
import { ForgotPasswordForm } from "./forgot-password-form";

export async function generateMetadata() {
  return { title: (await getTranslations("passwordReset"))("forgotTitle") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("passwordReset");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-2 text-2xl font-semibold">{t("forgotTitle")}</h1>
      <p className="mb-6 text-sm text-slate-600">{t("forgotIntro")}</p>
      <ForgotPasswordForm />
    </div>
  );
}

import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { currentSite } from "@/lib/sites/current";
import { safePath } from "@/lib/safe-path";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata() {
  return { title: (await getTranslations("signIn"))("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const [{ callbackUrl }, t, site, locale] = await Promise.all([searchParams, getTranslations("signIn"), currentSite(), getLocale()]);
  const back = safePath(typeof callbackUrl === "string" ? callbackUrl : null) ?? undefined;
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-6 text-2xl font-semibold">{t("title")}</h1>
      <SignInForm callbackUrl={back} />
      <p className="mt-4 text-sm">
        <Link className="text-brand-700 underline" href={`/${locale}/forgot-password`}>
          {t("forgot")}
        </Link>
      </p>
      {site.registrationOpen && (
        <p className="mt-6 text-sm text-slate-600">
          {t("noAccount")}{" "}
          <Link className="text-brand-700 underline" href={`/${locale}/register`}>
            {t("register")}
          </Link>
        </p>
      )}
    </div>
  );
}

import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { pendingRegistration } from "@/lib/auth/registration";
import { currentSite } from "@/lib/sites/current";
import { ConfirmRegistrationForm } from "./confirm-form";

export async function generateMetadata() {
  return { title: (await getTranslations("register.confirm"))("title"), robots: { index: false } };
}

/**
 * The link from the registration email. Opening it changes nothing (mail scanners open links):
 * the account is created by the form's button, with the password chosen at registration.
 */
export default async function ConfirmRegistrationPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const [{ token }, t, locale, site] = await Promise.all([searchParams, getTranslations("register.confirm"), getLocale(), currentSite()]);
  const pending = typeof token === "string" && token.length <= 200 ? await pendingRegistration(site, token) : null;
  const tErrors = await getTranslations("errors");
  return (
    <div className="mx-auto max-w-md rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-6 text-2xl font-semibold">{t("title")}</h1>
      {!site.registrationOpen ? (
        // Closed since the link was sent: no form that could only fail.
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {tErrors("registrationClosed")}
        </p>
      ) : pending && !pending.taken ? (
        <ConfirmRegistrationForm token={token as string} email={pending.email} />
      ) : pending ? (
        <div role="alert" className="space-y-3 text-sm">
          <p className="rounded-md bg-red-50 px-3 py-2 text-red-800">{t("accountExists")}</p>
          <Link href={`/${locale}/sign-in`} className="text-brand-700 underline">
            {t("signIn")}
          </Link>
        </div>
      ) : (
        <div role="alert" className="space-y-3 text-sm">
          <p className="rounded-md bg-red-50 px-3 py-2 text-red-800">{t("invalidLink")}</p>
          <Link href={`/${locale}/register`} className="text-brand-700 underline">
            {t("registerAgain")}
          </Link>
        </div>
      )}
    </div>
  );
}

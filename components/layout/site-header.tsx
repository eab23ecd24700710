import Link from "next/link";
import { Suspense } from "react";
import { getLocale, getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/actor";
import { allowed } from "@/lib/auth/roles";
import { currentSite } from "@/lib/sites/current";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { LanguageSwitcher } from "./language-switcher";

export async function SiteHeader() {
  const [site, actor, locale, t] = await Promise.all([currentSite(), currentActor(), getLocale(), getTranslations("layout")]);
  const link = "rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-200";
  return (
    <header className="border-b border-slate-200 bg-white">
      {/* Focused, it sits over the site name: an opaque box away from the edges keeps both it and its outline readable. */}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-brand-800 focus:underline focus:shadow-lg"
      >
        {t("skipToContent")}
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href={`/${locale}`} className="text-lg font-semibold text-brand-800">
          {site.name}
        </Link>
        <nav aria-label={t("mainNav")} className="flex flex-wrap items-center gap-1">
          {allowed(actor, site.id, "admin") && (
            <Link href={`/${locale}/manage`} className={link}>
              {t("manage")}
            </Link>
          )}
          {actor ? (
            <>
              <Link href={`/${locale}/profile`} className={link}>
                {t("profile")}
              </Link>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href={`/${locale}/sign-in`} className={link}>
                {t("signIn")}
              </Link>
              {site.registrationOpen && (
                <Link href={`/${locale}/register`} className={link}>
                  {t("register")}
                </Link>
              )}
            </>
          )}
          <Suspense>
            <LanguageSwitcher />
          </Suspense>
        </nav>
      </div>
    </header>
  );
}

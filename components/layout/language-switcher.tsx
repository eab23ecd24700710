"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { locales } from "@/lib/i18n/config";

/** Same page in the other language; the proxy remembers the choice in a cookie. */
export function LanguageSwitcher() {
  const t = useTranslations("layout");
  const current = useLocale();
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const rest = pathname.split("/").slice(2).join("/");
  return (
    <nav aria-label={t("language")} className="flex gap-1 text-sm">
      {locales.map((l) => (
        <Link
          key={l}
          href={`/${l}${rest ? `/${rest}` : ""}${search ? `?${search}` : ""}`}
          hrefLang={l}
          // A prefetch passes through the proxy like a visit and would overwrite the remembered
          // locale with whichever language answered last.
          prefetch={false}
          lang={l}
          aria-current={l === current ? "true" : undefined}
          className={`rounded px-2 py-1 ${l === current ? "bg-brand-700 text-white" : "text-slate-700 hover:bg-slate-200"}`}
        >
          {t(`localeName.${l}`)}
        </Link>
      ))}
    </nav>
  );
}

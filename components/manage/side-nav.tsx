"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import type { MenuSection } from "./menu";

/**
 * The management menu: a column beside the page from the md breakpoint, a closed "Menu · current
 * page" disclosure above it on a phone (the full list would fill the first screen of every page).
 */
export function SideNav({ sections }: { sections: MenuSection[] }) {
  const t = useTranslations("manage.menu");
  const locale = useLocale();
  const pathname = usePathname();
  const isActive = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const current = sections.flatMap((s) => s.items.map((item) => ({ ...item, section: s.title }))).find((item) => isActive(`/${locale}${item.href}`));
  const nav = (
    <nav aria-label={t("label")} className="space-y-5">
      {sections.map((section) => (
        <div key={section.title}>
          <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t(`${section.title}.title`)}</p>
          <ul className="mt-1 space-y-1">
            {section.items.map((item) => {
              const href = `/${locale}${item.href}`;
              const active = isActive(href);
              return (
                <li key={item.href}>
                  <Link
                    href={href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded px-2 py-1.5 text-sm ${active ? "bg-brand-100 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
                  >
                    {t(`${section.title}.${item.label}`)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
  return (
    <>
      {/* Keyed by page: a link followed from the open menu lands with it closed. */}
      <details key={pathname} className="rounded-lg bg-white shadow-sm md:hidden">
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">
          {t("label")}
          {current && <span className="font-normal text-slate-600"> · {t(`${current.section}.${current.label}`)}</span>}
        </summary>
        <div className="px-1 pb-3">{nav}</div>
      </details>
      <div className="hidden md:block">{nav}</div>
    </>
  );
}

"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import type { MenuSection } from "./menu";

export function SideNav({ sections }: { sections: MenuSection[] }) {
  const t = useTranslations("manage.menu");
  const locale = useLocale();
  const pathname = usePathname();
  return (
    <nav aria-label={t("label")} className="space-y-5">
      {sections.map((section) => (
        <div key={section.title}>
          <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t(`${section.title}.title`)}</p>
          <ul className="mt-1 space-y-1">
            {section.items.map((item) => {
              const href = `/${locale}${item.href}`;
              const active = pathname === href || pathname.startsWith(`${href}/`);
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
}

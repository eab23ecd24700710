import { cache } from "react";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { isLocale } from "@/lib/i18n/config";
import { leaveAction } from "./actions";
import { subscriberView } from "./subscriber";
import { UnsubscribeForm } from "./unsubscribe-client";

// One lookup for the title and the page.
const viewOf = cache((token: string, locale: string) => subscriberView(token, isLocale(locale) ? locale : "fr"));

export async function generateMetadata({ params }: { params: Promise<{ locale: string; token: string }> }) {
  const { locale, token } = await params;
  const t = await getTranslations("newsletter.unsubscribe");
  // An unknown link's tab says what its page says (not-found.tsx).
  const title = (await viewOf(token, locale)) ? t("title") : t("invalid.title");
  return { title, robots: { index: false }, referrer: "no-referrer" as const };
}

/** Where the unsubscribe link of every newsletter leads (GET /api/unsubscribe/<token> redirects here). */
export default async function UnsubscribePage({ params }: { params: Promise<{ locale: string; token: string }> }) {
  const { locale, token } = await params;
  const view = await viewOf(token, locale);
  if (!view) notFound();
  const t = await getTranslations("newsletter.unsubscribe");
  return (
    <div className="mx-auto max-w-xl rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-2 text-2xl font-semibold">{t("title")}</h1>
      <p className="mb-6 text-sm text-slate-700">{t("address", { email: view.masked, site: view.siteName })}</p>
      <UnsubscribeForm action={leaveAction} token={token} view={view} />
    </div>
  );
}

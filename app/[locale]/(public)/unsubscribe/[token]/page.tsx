import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { isLocale } from "@/lib/i18n/config";
import { leaveAction } from "./actions";
import { subscriberView } from "./subscriber";
import { UnsubscribeForm } from "./unsubscribe-client";

export async function generateMetadata() {
  return { title: (await getTranslations("newsletter.unsubscribe"))("title"), robots: { index: false }, referrer: "no-referrer" as const };
}

/** Where the unsubscribe link of every newsletter leads (GET /api/unsubscribe/<token> redirects here). */
export default async function UnsubscribePage({ params }: { params: Promise<{ locale: string; token: string }> }) {
  const { locale, token } = await params;
  const view = await subscriberView(token, isLocale(locale) ? locale : "fr");
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

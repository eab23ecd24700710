import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { isLocale } from "@/lib/i18n/config";
import { listGroups } from "@/lib/newsletters/groups";
import { CONFIRM_TTL_DAYS, confirmSubscription } from "@/lib/newsletters/signup";
import { currentSite } from "@/lib/sites/current";

export async function generateMetadata() {
  return { title: (await getTranslations("newsletter.confirm"))("title"), robots: { index: false } };
}

/**
 * The double opt-in link from the confirmation email. Opening it confirms the subscriptions it
 * was sent for, once; a used, expired or unknown link explains itself instead.
 */
export default async function ConfirmSubscriptionPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const [{ token }, t, locale, site] = await Promise.all([searchParams, getTranslations("newsletter.confirm"), getLocale(), currentSite()]);
  const confirmed = typeof token === "string" && token.length <= 200 ? await confirmSubscription(token) : null;
  const groups = confirmed ? await listGroups(site, isLocale(locale) ? locale : "fr") : [];
  const items = (confirmed?.groupIds ?? []).map((id) => ({ id, label: groups.find((g) => g.id === id)?.label ?? t("unknownGroup", { id }) }));
  return (
    <div className="mx-auto max-w-lg rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      {confirmed ? (
        <div role="status" className="space-y-3 text-sm">
          <p className="rounded-md bg-brand-50 px-3 py-2 text-brand-800">{t("confirmed", { count: items.length })}</p>
          <ul className="list-disc pl-6 text-slate-800">
            {items.map((g) => (
              <li key={g.id}>{g.label}</li>
            ))}
          </ul>
          <p className="text-slate-600">{t("leaveAnyTime")}</p>
        </div>
      ) : (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {t("invalid", { days: CONFIRM_TTL_DAYS })}
        </p>
      )}
      <p className="mt-6 text-sm">
        <Link href={`/${locale}`} className="text-brand-700 underline">
          {t("home")}
        </Link>
      </p>
    </div>
  );
}

import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { isLocale } from "@/lib/i18n/config";
import { listGroups } from "@/lib/newsletters/groups";
import { CONFIRM_TTL_DAYS, pendingConfirmation } from "@/lib/newsletters/signup";
import { currentSite } from "@/lib/sites/current";
import { ConfirmSubscriptionForm } from "./confirm-form";

export async function generateMetadata() {
  return { title: (await getTranslations("newsletter.confirm"))("title"), robots: { index: false } };
}

/**
 * The double opt-in link from the confirmation email. Opening it changes nothing (mail scanners
 * and link previews open links): it shows what the link was sent for, and the form's button
 * confirms it. A used, expired or unknown link explains itself instead.
 */
export default async function ConfirmSubscriptionPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const [{ token }, t, tErrors, locale, site] = await Promise.all([searchParams, getTranslations("newsletter.confirm"), getTranslations("errors"), getLocale(), currentSite()]);
  const pending = typeof token === "string" && token.length <= 200 ? await pendingConfirmation(site.id, token) : null;
  const groups = pending ? await listGroups(site, isLocale(locale) ? locale : "fr") : [];
  const items = (pending?.groupIds ?? []).map((id) => ({ id, label: groups.find((g) => g.id === id)?.label ?? t("unknownGroup", { id }) }));
  return (
    <div className="mx-auto max-w-lg rounded-lg bg-white p-8 shadow-sm">
      <h1 className="mb-4 text-2xl font-semibold">{t("title")}</h1>
      {pending ? (
        <ConfirmSubscriptionForm token={token as string} site={site.name} groups={items} />
      ) : (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {tErrors("subscriptionLinkInvalid", { days: CONFIRM_TTL_DAYS })}
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

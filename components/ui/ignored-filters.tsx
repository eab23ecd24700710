import { getTranslations } from "next-intl/server";

/**
 * Filters in the URL that could not be read (a malformed date, an unknown status): named once
 * above the list, which is shown as if they were not there. `labels`: the namespace of the
 * page's filter labels, so each is named as its form names it.
 */
export async function IgnoredFilters({ names, labels }: { names: string[]; labels: string }) {
  if (names.length === 0) return null;
  const [t, label] = await Promise.all([getTranslations("manage"), getTranslations(labels)]);
  return (
    <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {t("invalidFilters", { names: names.map((name) => label(name)).join(", "), count: names.length })}
    </p>
  );
}

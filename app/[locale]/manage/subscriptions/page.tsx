import Link from "next/link";
import { shownDomain } from "@/lib/idn";
import { getFormatter, getTranslations } from "next-intl/server";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import type { Locale } from "@/lib/i18n/config";
import { groupCounts, groupKey, listGroups, nextGroupId } from "@/lib/newsletters/groups";
import { GroupsEmpty } from "@/components/subscriptions/groups-empty";
import { countOptOuts, optOutsWhere } from "@/lib/sms/opt-out-list";
import { PageNotice } from "@/components/ui/page-notice";
import { EraseClient } from "./erase-client";
import { NewGroupClient } from "./new-group-client";

export async function generateMetadata() {
  return { title: (await getTranslations("subscriptions"))("title") };
}

const statuses = ["unconfirmed", "confirmed", "unsubscribed"] as const;

export default async function SubscriptionsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const base = `/${locale}/manage/subscriptions`;
  const { site } = await requirePage("admin", locale, base);
  const [t, ts, format, groups, counts, optOuts, nextId] = await Promise.all([
    getTranslations("subscriptions"),
    getTranslations("subscriptions.status"),
    getFormatter(),
    listGroups(site, locale as Locale),
    groupCounts(site.id),
    countOptOuts(optOutsWhere(site.id)),
    // The number createGroup will take, barring another admin creating one first.
    nextGroupId(site.id),
  ]);
  // Addresses can outlive their group's label (a key removed in the internationalisation screen).
  const labelled = new Set(groups.map((g) => g.id));
  const orphans = [...counts.keys()].filter((id) => !labelled.has(id)).sort((a, b) => a - b);
  const list = [...groups.map((g) => ({ id: g.id, label: g.label, orphan: false })), ...orphans.map((id) => ({ id, label: t("groups.noLabel", { key: groupKey(id) }), orphan: true }))];
  const zero = { unconfirmed: 0, confirmed: 0, unsubscribed: 0 };
  const cell = "px-3 py-2";

  return (
    <>
      <PageHeader title={t("title")} />
      <p className="-mt-4 mb-4 max-w-3xl text-sm text-slate-600">{t("intro", { site: shownDomain(site.domain) })}</p>
      <p className="mb-4 text-sm">
        <Link href={`${base}/sms-opt-outs`} className="font-medium text-brand-700 underline">{t("optOuts.link")}</Link>{" "}
        <span className="text-slate-600">
          ({format.number(optOuts.count)}{optOuts.capped ? "+" : ""} · {t("optOuts.linkHint")})
        </span>
      </p>
      <NewGroupClient nextId={nextId} open={list.length === 0} />
      <EraseClient />
      <PageNotice />
      {list.length === 0 ? (
        <GroupsEmpty locale={locale} />
      ) : (
        <DataTable
          caption={t("groups.caption")}
          // The status names are long single words ("Unsubscribed"): where the box is narrow (a
          // phone) the counts are a line under the group's name instead of three columns.
          columns={[
            { label: t("groups.group") },
            ...statuses.map((s) => ({ label: ts(s), className: "hidden text-right @md:table-cell" })),
            { label: t("groups.total"), className: "hidden text-right @xl:table-cell" },
          ]}
        >
          {list.map((g) => {
            const c = counts.get(g.id) ?? zero;
            const total = statuses.reduce((n, s) => n + (c[s] ?? 0), 0);
            return (
              <tr key={g.id} className="border-t border-slate-100">
                <th scope="row" className={`${cell} text-left font-normal`}>
                  <Link href={`${base}/${g.id}`} className={`font-medium underline ${g.orphan ? "text-amber-800" : "text-brand-700"}`}>{g.label}</Link>
                  <span className="block text-xs text-slate-500">{g.orphan ? t("groups.orphanHint") : t("groups.number", { id: g.id })}</span>
                  <span className="mt-1 flex flex-wrap gap-x-3 text-sm @md:hidden">
                    {statuses.map((s) => (
                      <Link key={s} href={`${base}/${g.id}?status=${s}`} className="tabular-nums hover:underline" aria-label={t("groups.countLink", { count: c[s] ?? 0, status: ts(s), group: g.label })}>
                        {t("groups.countShort", { count: c[s] ?? 0, status: ts(s) })}
                      </Link>
                    ))}
                  </span>
                </th>
                {statuses.map((s) => (
                  <td key={s} className={`${cell} hidden text-right tabular-nums @md:table-cell`}>
                    <Link href={`${base}/${g.id}?status=${s}`} className="hover:underline" aria-label={t("groups.countLink", { count: c[s] ?? 0, status: ts(s), group: g.label })}>
                      {format.number(c[s] ?? 0)}
                    </Link>
                  </td>
                ))}
                <td className={`${cell} hidden text-right tabular-nums @xl:table-cell`}>{format.number(total)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}

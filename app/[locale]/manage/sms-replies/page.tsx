import Link from "next/link";
import { shownDomain, shownEmail } from "@/lib/idn";
import { getFormatter, getTranslations } from "next-intl/server";
import { StatusBadge } from "@/components/queue/status-badge";
import { DataTable } from "@/components/ui/data-table";
import { DayAndTime } from "@/components/ui/day-and-time";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportLinks, FilterButtons, FilterSelect, NumberFilterField } from "@/components/ui/filter-controls";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/auth/guard";
import { formatPhone } from "@/lib/sms/phone";
import { phoneExamples } from "@/lib/sms/phone-examples";
import { answerMayChange, answeredChoices, latestReplyId, listReplies, parseReplyFilters, replyKinds, replyQuery, repliesWhere } from "@/lib/sms/replies";
import { followUrl } from "@/lib/sms/replies-follow";
import { AnswerClient } from "./answer-client";
import { RepliesFollower } from "@/components/sms/replies-follower";
import { IgnoredFilters } from "@/components/ui/ignored-filters";
import { Pager } from "@/components/ui/pager";
import { pageNumber } from "@/lib/paging";

/** The list: where "Show the newest" leaves the focus (RepliesFollower). */
const LIST_ID = "sms-replies-list";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  return { title: (await getTranslations("smsReplies"))("title") };
}

/** What people answered the site's SMS: every SMS its numbers received, newest first. */
export default async function SmsRepliesPage({ params, searchParams }: Props) {
  const [{ locale }, sp] = await Promise.all([params, searchParams]);
  const here = `/${locale}/manage/sms-replies`;
  const { site, actor } = await requirePage("admin", locale, here);
  const { filters, invalid } = parseReplyFilters(sp, site.defaultCountry);
  // The search reads a number in the site's country: its placeholder starts one of that country's.
  const phone = phoneExamples(site.defaultCountry, locale);
  // The newest reply's id, read before the list: news is counted past it (RepliesFollower), so a
  // reply arriving meanwhile is at worst shown and announced, never missed. On an empty page, it
  // also says whether the site has any reply at all (which empty state to show).
  const latest = await latestReplyId(site.id);
  const [t, tf, tq, format, page] = await Promise.all([
    getTranslations("smsReplies"),
    getTranslations("smsReplies.filters"),
    getTranslations("queue.status"),
    getFormatter(),
    listReplies(repliesWhere(site.id, filters), { after: filters.after, before: filters.before, siteId: site.id }),
  ]);
  const any = page.rows.length > 0 || latest !== null;
  // An answer still on its way (or awaiting its receipt) is followed, so its badge moves by itself.
  const moving = page.rows.flatMap((r) => (r.answer && answerMayChange(r.answer) ? [{ id: r.answer.queueId, status: r.answer.status }] : []));
  const query = replyQuery(filters);
  const cell = "px-3 py-2";
  const optOuts = `/${locale}/manage/subscriptions/sms-opt-outs`;

  return (
    <>
      <PageHeader title={t("title")} />
      <RepliesFollower
        url={followUrl(filters, moving.map((a) => a.id))}
        since={latest}
        listId={LIST_ID}
        answers={moving}
        firstPage={filters.after === undefined && filters.before === undefined}
        filtered={query !== ""}
        newestHref={query ? `${here}?${query}` : here}
      />
      <p className="-mt-4 mb-4 max-w-3xl text-sm text-slate-600">{t("intro", { site: shownDomain(site.domain) })}</p>
      <form role="search" aria-label={tf("label")} action={here} className="mb-4 grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end">
        <NumberFilterField label={tf("q")} placeholder={tf("qPlaceholder", { internationalStart: phone.internationalStart, nationalStart: phone.nationalStart })} value={typeof sp.q === "string" ? sp.q : ""} />
        <FilterSelect name="kind" label={tf("kind")} anyLabel={tf("any")} value={filters.kind} options={replyKinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
        <FilterSelect name="answered" label={tf("answered")} anyLabel={tf("any")} value={filters.answered} options={answeredChoices.map((a) => ({ value: a, label: tf(`answeredChoice.${a}`) }))} />
        <FilterButtons resetHref={here} apply={tf("apply")} reset={tf("reset")} />
        <ExportLinks
          className="sm:col-span-4"
          all={{ href: "/api/sms/replies/export", label: tf("exportAll") }}
          filtered={query ? { href: `/api/sms/replies/export?${query}`, label: tf("exportFiltered") } : null}
        />
      </form>
      <IgnoredFilters names={invalid} labels="smsReplies.filters" />
      {page.rows.length === 0 ? (
        <EmptyState title={any ? t("noMatch") : t("empty")}>
          {any ? <Link href={here} className="text-brand-700 underline">{tf("reset")}</Link> : t("emptyHint")}
        </EmptyState>
      ) : (
        <DataTable
          id={LIST_ID}
          dated
          caption={t("caption")}
          // Columns by the table's own width, as every Manage table (DataTable): where the box is
          // narrow (a phone, or a 768 px screen beside the menu) the message, then the time, are
          // lines under the number instead of columns, and an open answer form keeps a usable width.
          columns={[
            { label: t("from") },
            { label: t("text"), className: "hidden @xl:table-cell" },
            { label: t("receivedAt"), className: "hidden @2xl:table-cell" },
            { label: t("actions"), srOnly: true },
          ]}
        >
          {page.rows.map((r) => {
            const received = <DayAndTime text={format.dateTime(r.receivedAt, { dateStyle: "medium", timeStyle: "short" })} day={format.dateTime(r.receivedAt, { dateStyle: "medium" })} />;
            const message = (
              <>
                {r.action && (
                  <Link href={`${optOuts}?${new URLSearchParams({ q: r.phone })}`} className="mr-2 rounded bg-amber-100 px-1.5 text-xs font-medium text-amber-900 hover:bg-amber-200">
                    {t(`kind.${r.action}`)}
                  </Link>
                )}
                {r.text}
              </>
            );
            return (
              <tr key={r.id} className="border-t border-slate-100 align-top">
                <td className={cell}>
                  <span className="whitespace-nowrap tabular-nums">{r.phone.startsWith("+") ? formatPhone(r.phone) : r.phone}</span>
                  {r.subscriber && (
                    <span className="block text-xs text-slate-500 wrap-anywhere @4xl:max-w-[16rem] @4xl:truncate">
                      {r.subscriber.name ? `${r.subscriber.name} · ${shownEmail(r.subscriber.email)}` : shownEmail(r.subscriber.email)}
                    </span>
                  )}
                  <span className="mt-1 block whitespace-pre-wrap wrap-anywhere @xl:hidden">{message}</span>
                  <span className="mt-1 block text-xs text-slate-500 @2xl:hidden">{received}</span>
                </td>
                <td className={`${cell} hidden max-w-[32rem] whitespace-pre-wrap wrap-anywhere @xl:table-cell`}>{message}</td>
                <td className={`${cell} hidden @2xl:table-cell`}>{received}</td>
                <td className={cell}>
                  {r.answers > 0 && (
                    <p className="mb-1 text-right text-xs text-slate-600">
                      {t(r.answer?.status === "error" ? "answerFailed" : "answered", { count: r.answers })}{" "}
                      {r.answer && (
                        <Link href={`/${locale}/manage/queue/${r.answer.queueId}`} aria-label={t("answerStatus", { status: tq(r.answer.status) })} className="whitespace-nowrap hover:underline">
                          <StatusBadge status={r.answer.status} />
                        </Link>
                      )}
                    </p>
                  )}
                  {r.phone.startsWith("+") && r.action !== "opt_out" && <AnswerClient id={r.id} number={formatPhone(r.phone)} writer={actor.id} />}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <Pager label={t("pagination")} href={(link) => `${here}?${replyQuery(filters, link)}`} page={page} urlPage={pageNumber(sp)} />
    </>
  );
}

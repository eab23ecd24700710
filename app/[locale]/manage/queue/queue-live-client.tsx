"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { RunProgressBar } from "@/components/queue/run-progress";
import type { QueueStatus } from "@/db/schema";
import type { QueueStats } from "@/lib/queue/stats";
import { RunButtonsClient } from "./run-buttons-client";
import { useQueueStats } from "./use-queue-stats";

const order: QueueStatus[] = ["pending", "sending", "sent", "error", "delivered"];
const tone: Record<QueueStatus, string> = {
  pending: "border-amber-300",
  sending: "border-sky-300",
  sent: "border-brand-600",
  error: "border-red-400",
  delivered: "border-emerald-400",
};

/** The counts per status and the current run, kept live while messages go out. */
export function QueueLiveClient({ initial, statsQuery, filter, statusHref }: { initial: QueueStats; statsQuery: string; filter: string; statusHref: Record<QueueStatus, string> }) {
  const t = useTranslations("queue.stats");
  const ts = useTranslations("queue.status");
  const format = useFormatter();
  const { stats, stale } = useQueueStats(initial, statsQuery);
  return (
    <section aria-labelledby="stats-title" className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="stats-title" className="text-lg font-semibold">{t("title")}</h2>
        <RunButtonsClient filter={filter} errors={stats.counts.error} />
      </div>
      {/* While a run is going, aria-busy holds the announcements back so a screen reader hears the
          final counts once instead of a number every second and a half. */}
      <div aria-live="polite" aria-busy={stats.run !== null}>
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {order.map((status) => (
            <li key={status}>
              <Link href={statusHref[status]} className={`block rounded-md border-l-4 bg-slate-50 px-3 py-2 hover:bg-slate-100 ${tone[status]}`}>
                <span className="block text-sm text-slate-600">{ts(status)}</span>
                <span className="block text-2xl font-semibold tabular-nums">{format.number(stats.counts[status])}</span>
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-sm text-slate-600">{t("total", { count: stats.total })}</p>
      </div>
      {stats.run ? <RunProgressBar run={stats.run} /> : <p className="text-sm text-slate-600">{t("idle")}</p>}
      {stale && (
        <p role="status" className="text-sm text-amber-800">{t("stale")}</p>
      )}
    </section>
  );
}

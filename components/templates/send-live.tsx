"use client";
import { useFormatter, useTranslations } from "next-intl";
import { CancelSendButton } from "./cancel-send-button";
import { LocalDateTime } from "./local-time";
import { RetryFailuresButton, type RetryOffer } from "./retry-failures-button";
import { SendStatusBadge } from "./send-status-badge";
import { useSendStats, type SendStats } from "./use-send-stats";
import { FactList } from "@/components/ui/fact-list";

const order = ["pending", "sending", "sent", "error", "delivered"] as const;
const tone: Record<(typeof order)[number], string> = {
  pending: "border-amber-300",
  sending: "border-sky-300",
  sent: "border-brand-600",
  error: "border-red-400",
  delivered: "border-emerald-400",
};

/**
 * A send's facts and its rows' counts per queue status, kept live while it goes out. `retry`:
 * what "Retry the failures" would do, worked out by the page (which is refreshed whenever the
 * number of failures changes) rather than at every poll.
 */
export function SendLive(props: { sendId: number; initial: SendStats; createdAt: string; retry: RetryOffer | null; channel: "email" | "sms"; segments: number | null }) {
  const { sendId, initial, createdAt, retry, channel, segments } = props;
  const t = useTranslations("templates.report");
  const tc = useTranslations("queue.channel");
  const ts = useTranslations("queue.status");
  const format = useFormatter();
  const { stats, stale } = useSendStats(sendId, initial, channel);
  const c = stats.counts;
  const total = order.reduce((n, s) => n + c[s], 0);
  const done = c.sent + c.delivered + c.error;
  const going = stats.status === "queued" && c.pending + c.sending > 0;
  // Queued, and every message has had its last outcome (sent, delivered, or failed for good).
  const completed = stats.status === "queued" && total > 0 && !going && stats.retrying === 0;
  const facts: [string, React.ReactNode][] = [
    [t("status"), <SendStatusBadge key="s" status={completed ? "completed" : stats.status} />],
    [t("created"), <LocalDateTime key="c" value={createdAt} style="medium" />],
    [t("scheduledAt"), <LocalDateTime key="a" value={stats.scheduledAt} style="medium" />],
    [t("queuedAt"), <LocalDateTime key="q" value={stats.queuedAt} style="medium" />],
    [t("recipients"), stats.status === "queued" ? format.number(stats.recipientCount) : stats.status === "scheduled" ? t("recipientsLater") : "—"],
    [t("channel"), tc(channel)],
  ];
  // What the send dialog announced ("7 SMS segments in all"), for the rows really queued.
  if (segments !== null) facts.push([t("segments"), format.number(segments)]);
  return (
    <section aria-labelledby="live-title" className="space-y-4 rounded-lg bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="live-title" className="text-lg font-semibold">{t("progress")}</h2>
        <div className="flex flex-wrap items-center gap-2">
          {stats.status === "scheduled" && <CancelSendButton sendId={sendId} />}
          {stats.status === "queued" && <RetryFailuresButton sendId={sendId} offer={c.error > 0 ? retry : null} />}
        </div>
      </div>
      <FactList dated facts={facts} className="grid-cols-2 sm:grid-cols-3 lg:grid-cols-5" />
      {stats.status === "queued" && (
        <div aria-live="polite" aria-busy={going}>
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
            {order.map((status) => (
              <li key={status} className={`rounded-md border-l-4 bg-slate-50 px-3 py-2 ${tone[status]}`}>
                <span className="block text-sm text-slate-600">{ts(status)}</span>
                <span className="block text-2xl font-semibold tabular-nums">{format.number(c[status])}</span>
              </li>
            ))}
          </ul>
          <div className="mt-3">
            <div
              role="progressbar"
              aria-label={t("progress")}
              aria-valuemin={0}
              aria-valuemax={total}
              aria-valuenow={done}
              aria-valuetext={t("done", { done, total })}
              className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
            >
              <div className="h-full rounded-full bg-brand-600 transition-[width] duration-500" style={{ width: `${total ? Math.round((done / total) * 100) : 0}%` }} />
            </div>
            <p className="mt-1 text-sm text-slate-600">
              {going ? t("going", { done, total }) : t("done", { done, total })}
              {stats.retrying > 0 && ` ${t("retrying", { count: stats.retrying })}`}
            </p>
            {stats.waitsUntil && c.pending > 0 && (
              <p className="mt-1 text-sm text-amber-900">{t.rich("waitsForHours", { count: c.pending, when: () => <LocalDateTime value={stats.waitsUntil} style="full" nameZone /> })}</p>
            )}
          </div>
        </div>
      )}
      {stats.status === "scheduled" && <p className="text-sm text-slate-700">{t("scheduledNote")}</p>}
      {stats.status === "scheduled" && stats.waitsUntil && (
        <p className="text-sm text-amber-900">{t.rich("scheduledOutsideHours", { when: () => <LocalDateTime value={stats.waitsUntil} style="full" nameZone /> })}</p>
      )}
      {stats.status === "cancelled" && <p className="text-sm text-slate-700">{t("cancelledNote")}</p>}
      {stale && <p role="status" className="text-sm text-amber-800">{t("stale")}</p>}
    </section>
  );
}

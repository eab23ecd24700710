import { useTranslations } from "next-intl";
import type { RunProgress } from "@/lib/queue/stats";

/** The current run: messages processed (sent, failed or held for their hours) out of those claimed so far. */
export function RunProgressBar({ run }: { run: RunProgress }) {
  const t = useTranslations("queue.stats");
  const percent = run.claimed > 0 ? Math.round((run.done / run.claimed) * 100) : 0;
  const label = t(run.kind === "send" ? "runSend" : "runRetry");
  return (
    <div>
      <div className="mb-1 flex flex-wrap justify-between gap-2 text-sm">
        <span id="run-label" className="font-medium">{label}</span>
        <span className="text-slate-600">
          {run.scoped ? t("runProgress", { done: run.done, claimed: run.claimed, sent: run.sent, failed: run.failed, deferred: run.deferred }) : t("runAllSites")}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby="run-label"
        aria-valuemin={0}
        aria-valuemax={run.scoped ? run.claimed : undefined}
        aria-valuenow={run.scoped ? run.done : undefined}
        aria-valuetext={run.scoped ? t("runProgress", { done: run.done, claimed: run.claimed, sent: run.sent, failed: run.failed, deferred: run.deferred }) : t("runAllSites")}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full bg-brand-600 transition-[width] duration-500 ${run.scoped ? "" : "w-1/3 animate-pulse"}`}
          style={run.scoped ? { width: `${percent}%` } : undefined}
        />
      </div>
    </div>
  );
}

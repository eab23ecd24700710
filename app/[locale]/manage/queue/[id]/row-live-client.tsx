"use client";
import { useRef } from "react";
import { useRouter } from "next/navigation";
import { usePolledJson } from "@/components/ui/use-polled-json";
import type { QueueStats } from "@/lib/queue/stats";

const countsOf = (stats: QueueStats) => JSON.stringify(stats.counts);

/**
 * Keeps a row's page current while the row may still change by itself (pending, being sent, an
 * SMS awaiting its receipt, an error the queue will retry): a person who opened a sent SMS to
 * watch it turn delivered sees it, its receipt time and its history's new line, without a reload.
 * It polls the site's counts (kept by triggers: as cheap at a million rows as at ten) rather than
 * the row, and renders the page again when one moves.
 */
export function RowLiveClient({ initial, siteId }: { initial: QueueStats; siteId: number }) {
  const router = useRouter();
  const last = useRef(countsOf(initial));
  usePolledJson<QueueStats>(`/api/queue/stats?site=${siteId}`, initial, {
    pokeEvent: "queue-row-poke",
    onData: (next) => {
      const counts = countsOf(next);
      if (counts !== last.current) router.refresh();
      last.current = counts;
    },
  });
  return null;
}

"use client";
import { useRef } from "react";
import { useRouter } from "next/navigation";
import { usePolledJson } from "@/components/ui/use-polled-json";
import type { QueueStats } from "@/lib/queue/stats";

const POKE = "queue-stats-poke";

/** Asks the live counts to refresh now (after an action), instead of at the next tick. */
export const pokeQueueStats = () => window.dispatchEvent(new Event(POKE));

const countsOf = (stats: QueueStats) => JSON.stringify(stats.counts);

/**
 * Polls GET /api/queue/stats every 1.5 s while the tab is visible, and refreshes the server page
 * so the list shows the rows' statuses as the counts do: when a run ends, and, with no run going,
 * whenever a count moves. Rows change outside runs too: an SMS receipt turns a sent row delivered
 * or in error seconds or hours after its run ended, the scheduler sends a test SMS before any run
 * is seen, another admin acts. During a run the list waits for its end (the bar shows progress),
 * so a long drain does not render the page every tick.
 */
export function useQueueStats(initial: QueueStats, query: string) {
  const router = useRouter();
  const hadRun = useRef(initial.run !== null);
  const lastCounts = useRef(countsOf(initial));
  const { data: stats, stale } = usePolledJson<QueueStats>(`/api/queue/stats${query ? `?${query}` : ""}`, initial, {
    pokeEvent: POKE,
    onData: (next) => {
      const counts = countsOf(next);
      if (next.run === null && (hadRun.current || counts !== lastCounts.current)) router.refresh();
      hadRun.current = next.run !== null;
      lastCounts.current = counts;
    },
  });
  return { stats, stale };
}

"use client";
import { useRef } from "react";
import { useRouter } from "next/navigation";
import { usePolledJson } from "@/components/ui/use-polled-json";
import type { QueueStats } from "@/lib/queue/stats";

const POKE = "queue-stats-poke";

/** Asks the live counts to refresh now (after an action), instead of at the next tick. */
export const pokeQueueStats = () => window.dispatchEvent(new Event(POKE));

/**
 * Polls GET /api/queue/stats every 1.5 s while the tab is visible. When a run ends the server
 * page is refreshed, so the list shows the rows' new statuses too.
 */
export function useQueueStats(initial: QueueStats, query: string) {
  const router = useRouter();
  const hadRun = useRef(initial.run !== null);
  const { data: stats, stale } = usePolledJson<QueueStats>(`/api/queue/stats${query ? `?${query}` : ""}`, initial, {
    pokeEvent: POKE,
    onData: (next) => {
      if (hadRun.current && next.run === null) router.refresh();
      hadRun.current = next.run !== null;
    },
  });
  return { stats, stale };
}

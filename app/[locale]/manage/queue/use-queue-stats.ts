"use client";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { QueueStats } from "@/lib/queue/stats";

const EVERY_MS = 1500;
const POKE = "queue-stats-poke";

/** Asks the live counts to refresh now (after an action), instead of at the next tick. */
export const pokeQueueStats = () => window.dispatchEvent(new Event(POKE));

/**
 * Polls GET /api/queue/stats every 1.5 s while the tab is visible. When a run ends the server
 * page is refreshed, so the list shows the rows' new statuses too.
 */
export function useQueueStats(initial: QueueStats, query: string) {
  const router = useRouter();
  const [stats, setStats] = useState(initial);
  const [stale, setStale] = useState(false);
  const hadRun = useRef(initial.run !== null);

  useEffect(() => {
    let alive = true;
    let busy = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      if (!busy && document.visibilityState === "visible") {
        busy = true;
        try {
          const response = await fetch(`/api/queue/stats${query ? `?${query}` : ""}`, { cache: "no-store" });
          if (!response.ok) throw new Error(String(response.status));
          const next = (await response.json()) as QueueStats;
          if (!alive) return;
          setStats(next);
          setStale(false);
          if (hadRun.current && next.run === null) router.refresh();
          hadRun.current = next.run !== null;
        } catch {
          if (alive) setStale(true);
        } finally {
          busy = false;
        }
      }
      // Whoever finishes last schedules the next tick; an earlier timer is always cleared first.
      clearTimeout(timer);
      if (alive) timer = setTimeout(tick, EVERY_MS);
    };
    const poke = () => void tick();
    timer = setTimeout(tick, EVERY_MS);
    window.addEventListener(POKE, poke);
    document.addEventListener("visibilitychange", poke);
    return () => {
      alive = false;
      clearTimeout(timer);
      window.removeEventListener(POKE, poke);
      document.removeEventListener("visibilitychange", poke);
    };
  }, [query, router]);

  return { stats, stale };
}

"use client";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";

const EVERY_MS = 1500;
const POKE = "send-stats-poke";

export type SendStats = {
  status: string;
  scheduledAt: string | null;
  queuedAt: string | null;
  recipientCount: number;
  counts: Record<"pending" | "sending" | "sent" | "error" | "delivered", number>;
};

/** Asks the live counts to refresh now (after an action) instead of at the next tick. */
export const pokeSendStats = () => window.dispatchEvent(new Event(POKE));

/**
 * Polls GET /api/templates/sends/<id>/stats every 1.5 s while the tab is visible. When the
 * send's status or its number of failures changes, the server page is refreshed so the facts
 * and the list of failed recipients follow.
 */
export function useSendStats(sendId: number, initial: SendStats) {
  const router = useRouter();
  const [stats, setStats] = useState(initial);
  const [stale, setStale] = useState(false);
  const last = useRef(`${initial.status}:${initial.counts.error}`);

  useEffect(() => {
    let alive = true;
    let busy = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      if (!busy && document.visibilityState === "visible") {
        busy = true;
        try {
          const response = await fetch(`/api/templates/sends/${sendId}/stats`, { cache: "no-store" });
          if (!response.ok) throw new Error(String(response.status));
          const next = (await response.json()) as SendStats;
          if (!alive) return;
          setStats(next);
          setStale(false);
          const signature = `${next.status}:${next.counts.error}`;
          if (signature !== last.current) router.refresh();
          last.current = signature;
        } catch {
          if (alive) setStale(true);
        } finally {
          busy = false;
        }
      }
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
  }, [sendId, router]);

  return { stats, stale };
}

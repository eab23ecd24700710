"use client";
import { useRef } from "react";
import { useRouter } from "next/navigation";
import { usePolledJson } from "@/components/ui/use-polled-json";
import type { QueueStats } from "@/lib/queue/stats";

const countsOf = (stats: QueueStats) => JSON.stringify(stats.counts);

/**
 * Keeps a server page that shows queue rows current while they may still change by themselves
 * (pending, being sent, an SMS awaiting its receipt, an error the queue will retry): a row's page
 * opened on a sent SMS turns delivered, with its receipt time and history line, without a reload.
 * (SMS replies follows its answers' rows itself, in the one request it makes: RepliesFollower.)
 * It polls the site's counts (kept by triggers: as cheap at a million rows as at ten) rather than
 * the rows, and renders the page again when one moves; what a person typed in the page's forms stays.
 */
export function QueueFollower({ initial, siteId }: { initial: QueueStats; siteId: number }) {
  const router = useRouter();
  const last = useRef(countsOf(initial));
  usePolledJson<QueueStats>(`/api/queue/stats?site=${siteId}`, initial, {
    pokeEvent: "queue-follower-poke",
    onData: (next) => {
      const counts = countsOf(next);
      if (counts !== last.current) router.refresh();
      last.current = counts;
    },
  });
  return null;
}

"use client";
import { useRef } from "react";
import { useRouter } from "next/navigation";
import { usePolledJson } from "@/components/ui/use-polled-json";
import { sendSettled } from "@/lib/newsletters/send-settled";

const POKE = "send-stats-poke";

export type SendStats = {
  status: string;
  scheduledAt: string | null;
  queuedAt: string | null;
  recipientCount: number;
  counts: Record<"pending" | "sending" | "sent" | "error" | "delivered", number>;
  /** Of the errors, those the retry runner will take again. */
  retrying: number;
  /** When pending rows wait for the site's SMS sending hours (or a scheduled SMS falls outside them): the earliest they go out. */
  waitsUntil: string | null;
};

/** Asks the live counts to refresh now (after an action) instead of at the next tick. */
export const pokeSendStats = () => window.dispatchEvent(new Event(POKE));

/**
 * Polls GET /api/templates/sends/<id>/stats while the tab is visible and the send still moves
 * (an SMS send's receipts included):
 * every 1.5 s, every 5 s for a send to more than 100,000 people (each poll counts its rows).
 * When the send's status or its number of failures changes, the server page is refreshed so the
 * facts and the list of failed recipients follow. An action on the send pokes it awake again.
 */
export function useSendStats(sendId: number, initial: SendStats, channel: "email" | "sms") {
  const router = useRouter();
  const last = useRef(`${initial.status}:${initial.counts.error}`);
  const { data: stats, stale } = usePolledJson<SendStats>(`/api/templates/sends/${sendId}/stats`, initial, {
    pokeEvent: POKE,
    everyMs: initial.recipientCount > 100_000 ? 5_000 : 1_500,
    idle: (latest) => sendSettled(latest, channel),
    onData: (next) => {
      const signature = `${next.status}:${next.counts.error}`;
      if (signature !== last.current) router.refresh();
      last.current = signature;
    },
  });
  return { stats, stale };
}

"use client";
import { useEffect, useRef, useState } from "react";

/**
 * Polls a JSON route every `everyMs` while the tab is visible, one request at a time, and at once
 * when `pokeEvent` is dispatched on window (after an action) or the tab becomes visible again.
 * `stale` says the last poll failed. `onData` sees every fresh value (read through a ref, so a
 * new callback does not restart the polling). While `idle` says a value will not change by
 * itself (a finished send), the polling rests until a poke or the tab's return.
 */
export function usePolledJson<T>(url: string, initial: T, options: { pokeEvent: string; everyMs?: number; onData?: (next: T) => void; idle?: (latest: T) => boolean }) {
  const [data, setData] = useState(initial);
  const [stale, setStale] = useState(false);
  const onData = useRef(options.onData);
  const idle = useRef(options.idle);
  const latest = useRef(initial);
  useEffect(() => {
    onData.current = options.onData;
    idle.current = options.idle;
  });
  const { pokeEvent, everyMs = 1500 } = options;

  useEffect(() => {
    let alive = true;
    let busy = false;
    // Signed out (the session expired in this tab) or no longer allowed: asking again every few
    // seconds changes nothing. Polling rests until a poke or the tab's return asks once more.
    let refused = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      clearTimeout(timer);
      if (!busy && document.visibilityState === "visible") {
        busy = true;
        try {
          const response = await fetch(url, { cache: "no-store" });
          refused = response.status === 401 || response.status === 403;
          if (!response.ok) throw new Error(String(response.status));
          const next = (await response.json()) as T;
          if (!alive) return;
          latest.current = next;
          setData(next);
          setStale(false);
          onData.current?.(next);
        } catch {
          if (alive) setStale(true);
        } finally {
          busy = false;
        }
      }
      // Whoever finishes last schedules the next tick; an earlier timer is always cleared first.
      clearTimeout(timer);
      if (alive && !refused && !idle.current?.(latest.current)) timer = setTimeout(tick, everyMs);
    };
    const poke = () => void tick();
    if (!idle.current?.(latest.current)) timer = setTimeout(tick, everyMs);
    window.addEventListener(pokeEvent, poke);
    document.addEventListener("visibilitychange", poke);
    return () => {
      alive = false;
      clearTimeout(timer);
      window.removeEventListener(pokeEvent, poke);
      document.removeEventListener("visibilitychange", poke);
    };
  }, [url, pokeEvent, everyMs]);

  return { data, stale };
}

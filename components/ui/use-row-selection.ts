"use client";
import { useEffect, useRef, useState } from "react";

/**
 * Checkbox selection over one page of rows: `selected` keeps only ids still on the page, the
 * "all" checkbox (bind `allRef`) turns indeterminate when some but not all rows are ticked.
 */
export function useRowSelection(ids: number[]) {
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const allRef = useRef<HTMLInputElement>(null);
  const selected = ids.filter((id) => chosen.has(id)); // rows that left the page drop out of the selection
  const every = selected.length === ids.length && ids.length > 0;
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = selected.length > 0 && !every;
  }, [selected.length, every]);
  const toggle = (id: number, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return {
    selected,
    every,
    allRef,
    isSelected: (id: number) => chosen.has(id),
    toggle,
    toggleAll: (on: boolean) => setChosen(on ? new Set(ids) : new Set()),
    clear: () => setChosen(new Set()),
  };
}

"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/actions/action";

/** Re-renders the server page after a successful action, so lists and badges show the change. */
export function useRefreshOnSuccess(state: ActionResult<unknown> | null) {
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
}

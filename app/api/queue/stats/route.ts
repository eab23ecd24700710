import { NextResponse, type NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { parseQueueFilters } from "@/lib/queue/filters";
import { scopeSiteId } from "@/lib/sites/scope";
import { queueStats } from "@/lib/queue/stats";

export const dynamic = "force-dynamic";

/** Counts per status and the current run's progress, polled by the queue screen. */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return NextResponse.json({ error: guard.status === 401 ? "sign-in required" : "forbidden" }, { status: guard.status });
  const { filters } = parseQueueFilters(request.nextUrl.searchParams);
  const stats = await queueStats(scopeSiteId(guard.actor!, guard.site.id, filters.site));
  return NextResponse.json(stats, { headers: { "Cache-Control": "no-store" } });
}

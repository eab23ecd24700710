import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { csvResponse } from "@/lib/csv";
import { csvFormatFor } from "@/lib/csv-format";
import { queueCsvStream } from "@/lib/queue/csv";
import { scopedQueueFilters } from "@/lib/queue/filters";
import { pageOrder, queueWhere } from "@/lib/queue/list";

export const dynamic = "force-dynamic";

/** The filtered queue as CSV, streamed; same filters and scope as the screen (invalid ones are ignored). */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const { filters, siteId } = await scopedQueueFilters(guard.actor!, guard.site.id, request.nextUrl.searchParams);
  const where = await queueWhere(filters, siteId, guard.site.timeZone);
  return csvResponse(queueCsvStream(where, { order: pageOrder(filters), allSites: siteId === null }, await csvFormatFor(request.nextUrl.searchParams, guard.site)), "queue");
}

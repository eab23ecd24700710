import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { csvResponse } from "@/lib/csv";
import { csvFormatFor } from "@/lib/csv-format";
import { parseReplyFilters, repliesCsvStream, repliesWhere } from "@/lib/sms/replies";

export const dynamic = "force-dynamic";

/** The site's SMS replies as CSV, streamed: all of them, or the screen's filter (invalid ones ignored). */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const { filters } = parseReplyFilters(request.nextUrl.searchParams, guard.site.defaultCountry);
  return csvResponse(repliesCsvStream(repliesWhere(guard.site.id, filters), guard.site.id, await csvFormatFor(request.nextUrl.searchParams, guard.site)), "sms-replies");
}

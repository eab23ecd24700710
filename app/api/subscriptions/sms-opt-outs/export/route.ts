import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { csvResponse } from "@/lib/csv";
import { csvFormatFor } from "@/lib/csv-format";
import { optOutsCsvStream, optOutsWhere, parseOptOutFilters } from "@/lib/sms/opt-out-list";

export const dynamic = "force-dynamic";

/** The site's SMS opt-outs as CSV, streamed: all of them, or the screen's filter (invalid ones ignored). */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const { filters } = parseOptOutFilters(request.nextUrl.searchParams, guard.site.defaultCountry);
  return csvResponse(optOutsCsvStream(optOutsWhere(guard.site.id, filters), await csvFormatFor(request.nextUrl.searchParams, guard.site)), "sms-opt-outs");
}

import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { optOutsCsvStream, optOutsWhere, parseOptOutFilters } from "@/lib/sms/opt-out-list";

export const dynamic = "force-dynamic";

/** The site's SMS opt-outs as CSV, streamed: all of them, or the screen's filter (invalid ones ignored). */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const { filters } = parseOptOutFilters(request.nextUrl.searchParams, guard.site.defaultCountry);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(optOutsCsvStream(optOutsWhere(guard.site.id, filters)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="sms-opt-outs-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { csvResponse } from "@/lib/csv";
import { csvFormatFor } from "@/lib/csv-format";
import { scopeUrlSite } from "@/lib/sites/scope";
import { parseUserFilters, usersCsvStream } from "@/lib/users/list";

export const dynamic = "force-dynamic";

/**
 * The users list as CSV, streamed, with the screen's filters (invalid ones are ignored): an
 * admin's own site; a superuser's chosen site, or every site.
 */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const parsed = parseUserFilters(request.nextUrl.searchParams);
  const { filters } = parsed;
  const siteId = await scopeUrlSite(guard.actor!, guard.site.id, parsed);
  return csvResponse(usersCsvStream({ siteId, q: filters.q, role: filters.role, status: filters.status }, await csvFormatFor(request.nextUrl.searchParams, guard.site)), "users");
}

import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { csvResponse } from "@/lib/csv";
import { parseId } from "@/lib/ids";
import { parseSubscriptionFilters, subscriptionsCsvStream, subscriptionsWhere } from "@/lib/newsletters/subscriptions";

export const dynamic = "force-dynamic";

/**
 * A group's subscriptions as CSV, streamed: the whole group, or the screen's current filter
 * (`q`, `status`; invalid ones are ignored). Always the caller's own site.
 */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const params = request.nextUrl.searchParams;
  const group = parseId(params.get("group"));
  if (group === null) return new Response("group: expected a group number\n", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const { filters } = parseSubscriptionFilters(params);
  return csvResponse(subscriptionsCsvStream(subscriptionsWhere(guard.site.id, group, filters, guard.site.defaultCountry)), `subscriptions-${group}`);
}

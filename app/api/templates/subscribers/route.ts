import { NextResponse, type NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { groupIdsSchema, searchSubscribers } from "@/lib/newsletters/templates";

export const dynamic = "force-dynamic";

/** "Preview as": confirmed subscribers of the given groups whose address contains `q`. */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return NextResponse.json({ error: guard.status === 401 ? "signInRequired" : "forbidden" }, { status: guard.status });
  const params = request.nextUrl.searchParams;
  const groups = groupIdsSchema.safeParse(params.getAll("group"));
  const q = (params.get("q") ?? "").trim().slice(0, 320);
  if (!groups.success) return NextResponse.json({ error: "invalid" }, { status: 400 });
  const subscribers = await searchSubscribers(guard.site.id, groups.data, q);
  return NextResponse.json({ subscribers }, { headers: { "Cache-Control": "no-store" } });
}

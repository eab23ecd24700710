import { NextResponse, type NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { isLocale } from "@/lib/i18n/config";
import { groupIdsSchema, searchSubscribers } from "@/lib/newsletters/templates";

export const dynamic = "force-dynamic";

/** "Preview as": confirmed subscribers of the given groups whose address contains `q` (who read `lang`, if given). */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return NextResponse.json({ error: guard.status === 401 ? "signInRequired" : "forbidden" }, { status: guard.status });
  const params = request.nextUrl.searchParams;
  const groups = groupIdsSchema.safeParse(params.getAll("group"));
  const q = (params.get("q") ?? "").trim().slice(0, 320);
  // The template's readers' language, when it is for one language only.
  const lang = params.get("lang");
  if (!groups.success || (lang !== null && !isLocale(lang))) return NextResponse.json({ error: "invalid" }, { status: 400 });
  const subscribers = await searchSubscribers(guard.site.id, groups.data, q, 10, { readers: lang, siteLocale: guard.site.defaultLocale });
  return NextResponse.json({ subscribers }, { headers: { "Cache-Control": "no-store" } });
}

import { NextResponse, type NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { parseFollowQuery, repliesNews } from "@/lib/sms/replies-follow";

export const dynamic = "force-dynamic";

/**
 * Polled by the SMS replies screen (RepliesFollower): the new replies its filters keep, and how
 * the answers it shows on their way stand. 400: a query the screen does not write.
 */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return NextResponse.json({ error: guard.status === 401 ? "sign-in required" : "forbidden" }, { status: guard.status });
  const query = parseFollowQuery(request.nextUrl.searchParams, guard.site.defaultCountry);
  if (!query) return NextResponse.json({ error: "invalid" }, { status: 400 });
  return NextResponse.json(await repliesNews(guard.site.id, query), { headers: { "Cache-Control": "no-store" } });
}

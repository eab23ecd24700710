import { NextResponse } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { latestReplyId } from "@/lib/sms/replies";

export const dynamic = "force-dynamic";

/** The newest SMS reply's id on the caller's site, polled by the SMS replies screen. */
export async function GET() {
  const guard = await requireRoute("admin");
  if (!guard.ok) return NextResponse.json({ error: guard.status === 401 ? "sign-in required" : "forbidden" }, { status: guard.status });
  return NextResponse.json({ latest: await latestReplyId(guard.site.id) }, { headers: { "Cache-Control": "no-store" } });
}

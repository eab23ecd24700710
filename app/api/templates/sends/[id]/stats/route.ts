import { NextResponse } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { parseId } from "@/lib/ids";
import { sendReport } from "@/lib/newsletters/send";

export const dynamic = "force-dynamic";

/** One send's counts per queue status, polled by its report page while it goes out. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return NextResponse.json({ error: guard.status === 401 ? "signInRequired" : "forbidden" }, { status: guard.status });
  const id = parseId((await params).id);
  const report = id ? await sendReport(guard.site.id, id) : null;
  if (!report) return NextResponse.json({ error: "notFound" }, { status: 404 });
  const { send, counts, retrying, waitsUntil } = report;
  return NextResponse.json(
    { status: send.status, scheduledAt: send.scheduledAt, queuedAt: send.queuedAt, recipientCount: send.recipientCount, counts, retrying, waitsUntil },
    { headers: { "Cache-Control": "no-store" } },
  );
}

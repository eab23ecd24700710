import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { bigIdSchema } from "@/lib/ids";
import { findQueueRow, outboxPath } from "@/lib/queue/detail";
import { hiddenContent } from "@/lib/queue/hidden-content";

export const dynamic = "force-dynamic";

/** The .eml the embedded outbox wrote for a row; `?download=1` saves it instead of opening it. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const id = bigIdSchema.safeParse((await params).id).data;
  if (!id) return new Response(null, { status: 404 });
  const found = await findQueueRow(id, guard.actor!.role === "superuser" ? null : guard.site.id);
  // The row exists and is the caller's to see, but its body holds a secret link (see hiddenContent).
  if (found && hiddenContent(found.message.kind)) return new Response(null, { status: 403 });
  const file = found && found.row.channel === "email" ? outboxPath(found.row.siteId, found.row.id) : null;
  if (!file) return new Response(null, { status: 404 });
  // Gone since outboxPath looked (the outbox cleaned by hand): missing, not a server error.
  const size = await stat(file).then((s) => s.size, () => null);
  if (size === null) return new Response(null, { status: 404 });
  const disposition = request.nextUrl.searchParams.get("download") === "1" ? "attachment" : "inline";
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "message/rfc822",
      "Content-Length": String(size),
      "Content-Disposition": `${disposition}; filename="message-${id}.eml"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

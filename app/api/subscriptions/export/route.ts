import type { NextRequest } from "next/server";
import { requireRoute } from "@/lib/auth/guard";
import { csvResponse } from "@/lib/csv";
import { csvFormatFor } from "@/lib/csv-format";
import { parseId } from "@/lib/ids";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { readerLocale, siteLocale } from "@/lib/i18n/reader-locale";
import { parseSubscriptionFilters, subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { subscriptionsCsvStream } from "@/lib/newsletters/subscriptions/csv";

export const dynamic = "force-dynamic";

/**
 * A group's subscriptions as CSV, streamed: the whole group, or the screen's current filter
 * (`q`, `status`, `lang`; invalid ones are ignored). Always the caller's own site.
 */
export async function GET(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return new Response(null, { status: guard.status });
  const params = request.nextUrl.searchParams;
  const group = parseId(params.get("group"));
  if (group === null) {
    // A download link opened in the browser: the refusal says why in the reader's language,
    // with its key for clients, as /api/newsletter/subscribe answers bad input.
    const locale = readerLocale(request.headers, siteLocale(guard.site.defaultLocale));
    const t = translatorFor(locale, await messagesFor(locale, guard.site));
    const key = "errors.groupNumber";
    return Response.json({ ok: false, error: { key, message: t(key) } }, { status: 400, headers: { "Cache-Control": "no-store" } });
  }
  const { filters } = parseSubscriptionFilters(params);
  return csvResponse(subscriptionsCsvStream(subscriptionsWhere(guard.site.id, group, filters, guard.site.defaultCountry, guard.site.defaultLocale), await csvFormatFor(params, guard.site)), `subscriptions-${group}`);
}

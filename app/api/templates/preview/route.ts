import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import type { MessageTemplate } from "@/db/schema";
import { requireRoute } from "@/lib/auth/guard";
import { locales } from "@/lib/i18n/config";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { isEmail, normalizeEmail } from "@/lib/newsletters/addresses";
import { shownEmail } from "@/lib/idn";
import { unsubscribeToken, unsubscribeUrl } from "@/lib/newsletters/keys";
import { unknownPlaceholders } from "@/lib/newsletters/placeholders";
import { renderFor, textFromHtml } from "@/lib/newsletters/render";
import { audienceLocaleSchema, findSubscriber, groupIdsSchema, TEMPLATE_LIMITS } from "@/lib/newsletters/templates";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import { limitedText } from "@/lib/http/limited-body";

export const dynamic = "force-dynamic";

const L = TEMPLATE_LIMITS;
const schema = z.object({
  locale: z.enum(locales),
  subject: z.string().max(L.subject).default(""),
  html: z.string().max(L.html).default(""),
  text: z.string().max(L.text).default(""),
  textEdited: z.boolean().default(false),
  fromName: z.string().max(L.fromName).default(""),
  fromAddress: z.string().max(L.address).default(""),
  groupIds: groupIdsSchema.default([]),
  // The language the template is for: its added unsubscribe link is worded in it, as when sent.
  audienceLocale: audienceLocaleSchema.transform((v) => v || null),
  as: z.string().trim().max(L.address).optional(),
});

const json = (body: unknown, status = 200) => NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });

/**
 * The editor's live preview: the unsaved template rendered with sample values, or as one
 * confirmed subscriber of its groups (`as`) with that person's real unsubscribe link. Also
 * returns the text part generated from the HTML, for as long as nobody edited it by hand.
 * JSON only, so a cross-site form cannot post here without a CORS preflight.
 */
export async function POST(request: NextRequest) {
  const guard = await requireRoute("admin");
  if (!guard.ok) return json({ error: guard.status === 401 ? "signInRequired" : "forbidden" }, guard.status);
  if (!request.headers.get("content-type")?.startsWith("application/json")) return json({ error: "unsupported" }, 415);
  const body = await limitedText(request, 2_000_000);
  if (body === null) return json({ error: "tooLarge" }, 413);
  const parsed = schema.safeParse(jsonOrNull(body));
  if (!parsed.success) return json({ error: "invalid" }, 400);
  const input = parsed.data;
  const site = guard.site;

  let recipient: { email: string; name: string; unsubscribeUrl: string };
  if (input.as) {
    const found = isEmail(normalizeEmail(input.as)) ? await findSubscriber(site.id, input.groupIds, input.as, { readers: input.audienceLocale, siteLocale: site.defaultLocale }) : null;
    if (!found) return json({ error: "subscriberNotFound" }, 404);
    recipient = { ...found, unsubscribeUrl: unsubscribeUrl(siteBaseUrl(site), await unsubscribeToken(site.id, found.email)) };
  } else {
    const t = translatorFor(input.locale, await messagesFor(input.locale, site));
    recipient = { name: t("templates.preview.sampleName"), email: t("templates.preview.sampleEmail"), unsubscribeUrl: unsubscribeUrl(siteBaseUrl(site), "sample") };
  }
  const template = { ...input, siteId: site.id, replyTo: null } as unknown as MessageTemplate;
  const rendered = await renderFor(site, template, recipient);
  const sender = siteSender(site);
  return json({
    ...rendered,
    generatedText: input.textEdited ? null : textFromHtml(input.html),
    unknown: unknownPlaceholders(input.subject, input.html, input.textEdited ? input.text : ""),
    from: { name: input.fromName.trim() || sender.fromName, address: input.fromAddress.trim() || sender.fromAddress },
    // For the "To" line only: the address as people write it (ann@crème.fr).
    recipient: { email: shownEmail(recipient.email), name: recipient.name },
  });
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

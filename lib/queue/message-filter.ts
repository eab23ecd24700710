import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, outboundMessages } from "@/db/schema";
import { hiddenContent } from "./hidden-content";

/** What the queue screen says of its `message` filter: the message's words, and its send report if it has one. */
export type FilteredMessage = { id: number; label: string; sendId: number | null };

const LABEL = 80;

/**
 * The message a `message` filter names, if the rows in scope (`siteId`, or every site for null)
 * can hold it. Its label is its subject as written (placeholders included: it stands for every
 * recipient's copy); an SMS has none, so the start of its text stands for it, unless the text
 * holds a secret link (lib/queue/hidden-content.ts).
 */
export async function messageInScope(messageId: number, siteId: number | null): Promise<FilteredMessage | null> {
  // A join, not a correlated sub-select: drizzle writes a one-table select's columns unqualified,
  // so "message_id = id" inside one would compare the sends table with itself.
  const [m] = await db
    .select({ id: outboundMessages.id, subject: outboundMessages.subject, text: outboundMessages.text, kind: outboundMessages.kind, sendId: newsletterSends.id })
    .from(outboundMessages)
    .leftJoin(newsletterSends, eq(newsletterSends.messageId, outboundMessages.id))
    .where(and(eq(outboundMessages.id, messageId), siteId === null ? undefined : eq(outboundMessages.siteId, siteId)))
    .limit(1);
  if (!m) return null;
  const words = m.subject.trim() || (hiddenContent(m.kind) ? "" : m.text.replace(/\s+/g, " ").trim());
  const chars = Array.from(words);
  const label = chars.length > LABEL ? `${chars.slice(0, LABEL - 1).join("")}…` : words || `#${m.id}`;
  return { id: m.id, label, sendId: m.sendId };
}

import { existsSync } from "node:fs";
import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, queueEvents, sites, users } from "@/db/schema";
import { composeEmail, composeSms } from "@/lib/mail/compose";
import { smsSegments } from "@/lib/sms/segments";
import { outboxFile } from "@/lib/mail/transport";
import { heldUntil } from "./held";
import { shownEmail } from "@/lib/idn";

/** One queue row as a manager may see it: on their site, or anywhere for a superuser (null). */
export async function findQueueRow(id: number, siteId: number | null) {
  const [row] = await db
    .select({
      row: queue,
      message: outboundMessages,
      siteDomain: sites.domain,
      heldUntil,
    })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .innerJoin(sites, eq(sites.id, queue.siteId))
    .where(siteId === null ? eq(queue.id, id) : and(eq(queue.id, id), eq(queue.siteId, siteId)))
    .limit(1);
  return row ?? null;
}

/**
 * What the recipient receives: headers, text and HTML with their values filled in; addresses as a
 * mail program shows them, an accented domain in Unicode (the .eml keeps what was sent).
 */
export function previewOf(found: NonNullable<Awaited<ReturnType<typeof findQueueRow>>>) {
  const { row, message } = found;
  if (row.channel === "sms") {
    const sms = composeSms(message, row);
    return { headers: [] as [string, string][], subject: "", text: sms.text, html: null, attachments: [], segments: smsSegments(sms.text) };
  }
  const mail = composeEmail(message, row);
  const address = (v: unknown) => (typeof v === "string" ? shownEmail(v) : v && typeof v === "object" && "address" in v ? formatAddress(v as { name?: string; address: string }) : "");
  const headers: [string, string][] =
    row.channel === "email"
      ? [
          ["From", address(mail.from)],
          ["To", address(mail.to)],
          ...(mail.replyTo ? ([["Reply-To", address(mail.replyTo)]] as [string, string][]) : []),
          ["Subject", String(mail.subject ?? "")],
          ["Message-ID", String(mail.messageId ?? "")],
          ...Object.entries((mail.headers ?? {}) as Record<string, string>),
        ]
      : [];
  return {
    headers,
    subject: String(mail.subject ?? ""),
    text: String(mail.text ?? ""),
    html: typeof mail.html === "string" ? mail.html : null,
    attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
    segments: null,
  };
}

const formatAddress = (a: { name?: string; address: string }) => (a.name ? `"${a.name.replace(/"/g, '\\"')}" <${shownEmail(a.address)}>` : shownEmail(a.address));

/** Every status change of a row, oldest first, with the user behind `user:<id>` actors. */
export async function queueHistory(queueId: number) {
  const events = await db.select().from(queueEvents).where(eq(queueEvents.queueId, queueId)).orderBy(asc(queueEvents.id));
  const userIds = [...new Set(events.map((e) => /^user:(\d+)$/.exec(e.actor)?.[1]).filter(Boolean).map(Number))];
  const people = userIds.length
    ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds))
    : [];
  const byId = new Map(people.map((p) => [p.id, p.name || shownEmail(p.email)]));
  return events.map((e) => {
    const userId = Number(/^user:(\d+)$/.exec(e.actor)?.[1]);
    return { ...e, userName: userId ? (byId.get(userId) ?? null) : null };
  });
}

/** The .eml the embedded outbox wrote for this row, when it exists. */
export function outboxPath(siteId: number, queueId: number): string | null {
  const file = outboxFile(siteId, queueId);
  return existsSync(file) ? file : null;
}

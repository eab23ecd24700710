import type Mail from "nodemailer/lib/mailer";
import type { OutboundMessage, QueueRow } from "@/db/schema";
import type { SmsMessage } from "@/lib/sms/transport";

/**
 * The URL a placeholder stands inside, after its start: a scheme, then no space, quote, angle
 * bracket or "]" (html-to-text writes a link as "text [https://…]", and what follows the bracket
 * is no longer the URL). Group 1: the scheme when it has no "//" (mailto, tel, sms); group 2: what
 * follows that scheme.
 */
const URL_BEFORE = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\b(mailto|tel|sms):)([^\s"'<>\]]*)$/i;

/**
 * A value placed after `before`, as it must be written there: percent-encoded inside a URL, after
 * its start (`https://example.org/form?e={{email}}`), where an address's "+" would otherwise
 * arrive as a space and a name's "&" would cut the query; as it is elsewhere, including a
 * placeholder that is the URL itself (`href="{{unsubscribe_url}}"`). Right after `tel:` or `sms:`
 * a number stays as it is (RFC 3966 wants its "+"), and right after `mailto:` an address keeps its
 * "@" and "+" (RFC 6068); in their query part (`?subject=`, `?body=`) values are encoded too.
 */
export function placedValue(before: string, value: string): string {
  const url = URL_BEFORE.exec(before.slice(-2000));
  if (!url) return value;
  const [, bare, rest] = url;
  if (bare && !rest.includes("?")) return bare.toLowerCase() === "mailto" ? encodeURI(value) : value;
  return encodeURIComponent(value);
}

/**
 * `text` with each match of `pattern` replaced by `fill(match, groups, before)`, `before` being
 * the text as filled so far: a URL written by an earlier placeholder (`{{site_url}}/form?e=`)
 * counts for the ones after it.
 */
export function fillInOrder(text: string, pattern: RegExp, fill: (match: string, groups: (string | undefined)[], before: string) => string): string {
  let done = "";
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    done += text.slice(last, m.index);
    done += fill(m[0], m.slice(1), done);
    last = m.index + m[0].length;
  }
  return done + text.slice(last);
}

/**
 * `{{name}}` → the recipient's value; `{{name|friend}}` → "friend" when that value is empty
 * ("Hello {{name|friend}}," rather than "Hello ,"). The fallback is the template's own text, so
 * it is not escaped. Unknown placeholders are left as written. Inside a URL the value is
 * percent-encoded (placedValue).
 */
export function fillPlaceholders(template: string, variables: Record<string, string>, escape: (s: string) => string = (s) => s) {
  return fillInOrder(template, /\{\{\s*([A-Za-z0-9_]+)\s*(?:\|([^{}]*?))?\s*\}\}/g, (match, [name, fallback], before) => {
    if (!Object.prototype.hasOwnProperty.call(variables, name!)) return match;
    const value = variables[name!];
    return value.trim() === "" && fallback !== undefined ? fallback.trim() : escape(placedValue(before, value));
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The domain part used in Message-IDs: the sender's, else a neutral one. */
function idDomain(message: Pick<OutboundMessage, "fromAddress">) {
  return message.fromAddress.split("@")[1] || "chora.invalid";
}

/**
 * A row's Message-ID: its ids, so that a resend of the same row carries the same one and
 * receiving systems can recognise a duplicate, and its message's creation time (`k`, base 36):
 * ids start again at 1 in a new database (the embedded one moved to a PostgreSQL server, a second
 * installation sending for the same domain), and a mailbox that drops repeated Message-IDs
 * (Gmail does) would hide a new message behind an old one's id.
 */
export function emailMessageId(message: Pick<OutboundMessage, "id" | "createdAt" | "fromAddress">, rowId: number): string {
  return `<q${rowId}.m${message.id}.k${new Date(message.createdAt).getTime().toString(36)}@${idDomain(message)}>`;
}

/** The email one queue row becomes, under emailMessageId. */
export function composeEmail(message: OutboundMessage, row: Pick<QueueRow, "id" | "recipient" | "recipientName" | "variables">): Mail.Options {
  const variables = { email: row.recipient, name: row.recipientName, ...row.variables };
  const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, fillPlaceholders(v, variables)]));
  return {
    messageId: emailMessageId(message, row.id),
    from: message.fromName ? { name: message.fromName, address: message.fromAddress } : message.fromAddress,
    to: row.recipientName ? { name: row.recipientName, address: row.recipient } : row.recipient,
    replyTo: message.replyTo ?? undefined,
    subject: fillPlaceholders(message.subject, variables),
    text: fillPlaceholders(message.text, variables),
    html: message.html ? fillPlaceholders(message.html, variables, escapeHtml) : undefined,
    headers,
    attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, "base64") })),
  };
}

/** The SMS one queue row becomes: the text personalised; the message's sender is the SMS source. */
export function composeSms(message: OutboundMessage, row: Pick<QueueRow, "id" | "siteId" | "recipient" | "recipientName" | "variables">): SmsMessage {
  const variables = { phone: row.recipient, name: row.recipientName, ...row.variables };
  return { to: row.recipient, from: message.fromAddress, text: fillPlaceholders(message.text, variables), siteId: row.siteId, queueId: row.id };
}

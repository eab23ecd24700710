import type Mail from "nodemailer/lib/mailer";
import type { OutboundMessage, QueueRow } from "@/db/schema";
import type { SmsMessage } from "@/lib/sms/transport";

/**
 * `{{name}}` → the recipient's value; `{{name|friend}}` → "friend" when that value is empty
 * ("Hello {{name|friend}}," rather than "Hello ,"). The fallback is the template's own text, so
 * it is not escaped. Unknown placeholders are left as written.
 */
export function fillPlaceholders(template: string, variables: Record<string, string>, escape: (s: string) => string = (s) => s) {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*(?:\|([^{}]*?))?\s*\}\}/g, (match, name: string, fallback: string | undefined) => {
    if (!Object.prototype.hasOwnProperty.call(variables, name)) return match;
    const value = variables[name];
    return value.trim() === "" && fallback !== undefined ? fallback.trim() : escape(value);
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The domain part used in Message-IDs: the sender's, else a neutral one. */
function idDomain(message: OutboundMessage) {
  return message.fromAddress.split("@")[1] || "chora.invalid";
}

/**
 * The email one queue row becomes. The Message-ID is derived from the row id, so a resend of the
 * same row carries the same id and receiving systems can recognise a duplicate.
 */
export function composeEmail(message: OutboundMessage, row: Pick<QueueRow, "id" | "recipient" | "recipientName" | "variables">): Mail.Options {
  const variables = { email: row.recipient, name: row.recipientName, ...row.variables };
  const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, fillPlaceholders(v, variables)]));
  return {
    messageId: `<q${row.id}.m${message.id}@${idDomain(message)}>`,
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

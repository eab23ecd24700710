import { convert } from "html-to-text";
import type { MessageTemplate, Site } from "@/db/schema";
import { fillPlaceholders } from "@/lib/mail/compose";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import type { MessageContent } from "@/lib/queue/enqueue";
import { smsSender } from "@/lib/sms/send-test";
import { fillSendPlaceholders } from "./placeholders";

/**
 * The text part a template gets unless someone edited it by hand. Headings come out in capitals,
 * so placeholders are turned back to lower case: `{{SITE_NAME}}` would never be filled.
 */
export const textFromHtml = (html: string) =>
  convert(html, { wordwrap: 78, selectors: [{ selector: "img", format: "skip" }] }).replace(/\{\{[^{}]*\}\}/g, (m) => m.toLowerCase());

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * What the queue stores for one send of a template: per-send placeholders filled, per-recipient
 * ones left for the queue, and the RFC 8058 headers whose URL is each recipient's own.
 */
export function newsletterContent(site: Site, template: MessageTemplate, createdBy: number | null): MessageContent {
  const values = { site_name: site.name, site_url: siteBaseUrl(site) };
  const text = template.textEdited ? template.text : textFromHtml(template.html);
  const sender = siteSender(site);
  return {
    kind: "newsletter",
    subject: fillSendPlaceholders(template.subject, values),
    html: fillSendPlaceholders(template.html, values, escapeHtml),
    text: fillSendPlaceholders(text, values),
    fromName: template.fromName || sender.fromName,
    fromAddress: template.fromAddress || sender.fromAddress,
    replyTo: template.replyTo,
    headers: { "List-Unsubscribe": "<{{unsubscribe_url}}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    createdBy,
  };
}

/**
 * What the queue stores for one send of an SMS template: the text with its per-send placeholders
 * filled, from the site's SMS source address. No subject, HTML or headers: an SMS has none.
 */
export function smsContent(site: Site, template: MessageTemplate, createdBy: number | null): MessageContent {
  return {
    kind: "newsletter",
    subject: "",
    text: fillSendPlaceholders(template.text, { site_name: site.name, site_url: siteBaseUrl(site) }),
    html: null,
    fromName: "",
    fromAddress: smsSender(site),
    replyTo: null,
    headers: {},
    createdBy,
  };
}

/** The template as one recipient will read it (preview as a subscriber). */
export function renderFor(site: Site, template: MessageTemplate, recipient: { email: string; name: string; unsubscribeUrl: string }) {
  const content = newsletterContent(site, template, null);
  const vars = { email: recipient.email, name: recipient.name, unsubscribe_url: recipient.unsubscribeUrl };
  return {
    subject: fillPlaceholders(content.subject, vars),
    html: fillPlaceholders(content.html ?? "", vars, escapeHtml),
    text: fillPlaceholders(content.text, vars),
  };
}

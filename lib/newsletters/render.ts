import { decodeHTML } from "entities";
import { convert } from "html-to-text";
import mimeFuncs from "nodemailer/lib/mime-funcs";
import type { MessageTemplate, Site } from "@/db/schema";
import { fillPlaceholders } from "@/lib/mail/compose";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";
import type { MessageContent } from "@/lib/queue/enqueue";
import { smsSender } from "@/lib/sms/send-test";
import { isLocale } from "@/lib/i18n/config";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { fillSendPlaceholders } from "./placeholders";

/**
 * html-to-text writes headings in capitals by default: a recipient of the text part would read
 * "BONJOUR Ann", shouted, and `{{name}}` in a heading would become an unfilled `{{NAME}}`. They
 * keep the case they were written in. (Selectors merge with the defaults: only this option
 * changes. Table header cells are capitalised only in declared data tables, which we have none of.)
 */
const keepCase = (["h1", "h2", "h3", "h4", "h5", "h6"] as const).map((selector) => ({ selector, options: { uppercase: false } }));

const GUARDED_SPACE = "\uE000"; // a private-use character: never in a template

/**
 * The text part a template gets unless someone edited it by hand.
 *
 * html-to-text walks the tree recursively: a few thousand nested tags (pasted markup, or
 * `<b>` typed 5,000 times) overflow the stack. Such HTML still gets a text part, a plainer one,
 * so its preview and its save work.
 */
export function textFromHtml(html: string) {
  try {
    // A placeholder's fallback may hold spaces ({{name|dear friends}}): wrapping lines there would
    // put a line break in what the recipient reads, so its spaces are kept out of the wrapper's
    // reach. A skipped image leaves no run of blank lines.
    const guarded = html.replace(/\{\{[^{}]*\}\}/g, (p) => p.replace(/ /g, GUARDED_SPACE));
    return convert(guarded, { wordwrap: 78, selectors: [{ selector: "img", format: "skip" }, ...keepCase] })
      .replaceAll(GUARDED_SPACE, " ")
      .replace(/\n{3,}/g, "\n\n");
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stripTags(html);
  }
}

// Paragraphs are set apart by a blank line, as html-to-text does; lines by a line break.
const PARAGRAPH_TAG = /^(p|h[1-6]|ul|ol|table|blockquote|hr)$/;
const LINE_TAG = /^(br|div|li|tr|section|article|header|footer)$/;
const UNREAD_TAG = /^(script|style|head|title)$/;

/**
 * Text without a parser: blocks become lines or paragraphs, other tags go, what sits in script, style or head
 * is not text, entities are decoded. One pass, no backtracking: it runs on HTML that was too
 * much for the parser.
 */
export function stripTags(html: string) {
  const tag = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][\w-]*)[^>]*(?:>|$)/g;
  const lower = html.toLowerCase();
  let out = "";
  let last = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    out += html.slice(last, m.index);
    last = tag.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    if (!m[1] && UNREAD_TAG.test(name)) {
      // Its content is not markup (`<` in a script): jump to its closing tag, or to the end.
      const close = lower.indexOf(`</${name}`, last);
      tag.lastIndex = last = close < 0 ? html.length : close;
    } else if (PARAGRAPH_TAG.test(name)) out += "\n\n";
    else if (LINE_TAG.test(name)) out += "\n";
  }
  out += html.slice(last);
  return decodeHTML(out)
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A template that says where to unsubscribe already ({{unsubscribe_url}}, with or without a fallback). */
const HAS_UNSUBSCRIBE = /\{\{\s*unsubscribe_url\s*(?:\|[^{}]*)?\}\}/;

/**
 * The words of the unsubscribe link added to a newsletter that has none: in the language the
 * template is for, else the site's (the content is one per send; each recipient's link opens
 * the page in their own language).
 */
export async function unsubscribeLabel(site: Site, template: Pick<MessageTemplate, "audienceLocale">): Promise<string> {
  const wanted = template.audienceLocale ?? site.defaultLocale;
  const locale = isLocale(wanted) ? wanted : "fr";
  return translatorFor(locale, await messagesFor(locale, site))("emails.newsletter.unsubscribe");
}

/** `footer` at the end of the body: before `</body>` in a pasted whole document, else after the rest. */
function withFooter(html: string, footer: string): string {
  const end = html.search(/<\/body\s*>/i);
  return end === -1 ? `${html}\n${footer}` : `${html.slice(0, end)}${footer}\n${html.slice(end)}`;
}

/**
 * RFC 2919's List-Id: the site's name and a label under its own domain. A name with other than
 * printable ASCII is encoded here, as RFC 2047 words standing for the phrase alone: given to
 * nodemailer as is, the whole value was encoded, the `<label>` that filters match on included.
 */
function listId(site: Site): string {
  const name = site.name.replace(/[\r\n"\\]/g, " ").replace(/\s+/g, " ").trim();
  const label = `<news.${site.domain.split(":")[0]}>`;
  return /^[\x20-\x7e]*$/.test(name) ? `"${name}" ${label}` : `${mimeFuncs.encodeWord(name, "Q", 52)} ${label}`;
}

/**
 * What the queue stores for one send of a template: per-send placeholders filled, per-recipient
 * ones left for the queue, and the list headers (RFC 8058's one-click unsubscribe, whose URL is
 * each recipient's own; RFC 2919's List-Id). A template without its unsubscribe link gets one at
 * the bottom, in each part that lacks it: the signup promised one in every email, and large
 * mailbox providers want it in the body, not only in the headers. `label`: unsubscribeLabel().
 */
export function newsletterContent(site: Site, template: MessageTemplate, createdBy: number | null, label: string): MessageContent {
  const values = { site_name: site.name, site_url: siteBaseUrl(site) };
  const html = HAS_UNSUBSCRIBE.test(template.html) ? template.html : withFooter(template.html, `<p style="margin-top:2em;font-size:12px;color:#555"><a href="{{unsubscribe_url}}">${escapeHtml(label)}</a></p>`);
  const edited = template.textEdited ? template.text : null;
  const text = edited === null ? textFromHtml(html) : HAS_UNSUBSCRIBE.test(edited) ? edited : `${edited.trimEnd()}\n\n${label}: {{unsubscribe_url}}`;
  const sender = siteSender(site);
  return {
    kind: "newsletter",
    subject: fillSendPlaceholders(template.subject, values),
    html: fillSendPlaceholders(html, values, escapeHtml),
    text: fillSendPlaceholders(text, values),
    fromName: template.fromName || sender.fromName,
    fromAddress: template.fromAddress || sender.fromAddress,
    replyTo: template.replyTo,
    headers: {
      "List-Unsubscribe": "<{{unsubscribe_url}}>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": listId(site),
      Precedence: "bulk",
    },
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
export async function renderFor(site: Site, template: MessageTemplate, recipient: { email: string; name: string; unsubscribeUrl: string }) {
  const content = newsletterContent(site, template, null, await unsubscribeLabel(site, template));
  const vars = { email: recipient.email, name: recipient.name, unsubscribe_url: recipient.unsubscribeUrl };
  return {
    subject: fillPlaceholders(content.subject, vars),
    html: fillPlaceholders(content.html ?? "", vars, escapeHtml),
    text: fillPlaceholders(content.text, vars),
  };
}

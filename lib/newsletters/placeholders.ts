import type { TemplateChannel } from "@/db/schema";
import { fillInOrder, fillPlaceholders, placedValue } from "@/lib/mail/compose";

/**
 * Placeholders a template may use. Per-recipient ones are filled by the queue when each email
 * is composed; per-send ones are filled once when the send is queued.
 */
export const RECIPIENT_PLACEHOLDERS = ["name", "email", "unsubscribe_url"] as const;
export const SEND_PLACEHOLDERS = ["site_name", "site_url"] as const;
export const PLACEHOLDERS = [...RECIPIENT_PLACEHOLDERS, ...SEND_PLACEHOLDERS] as const;
/**
 * An SMS goes to a number, not an address: a pasted number has no email and no unsubscribe
 * token (those are per address), so `{{email}}` and `{{unsubscribe_url}}` would go out empty.
 * The queue fills `{{phone}}` and `{{name}}` when it composes each SMS (lib/mail/compose.ts).
 */
export const SMS_PLACEHOLDERS = ["name", "phone", ...SEND_PLACEHOLDERS] as const;
export const placeholdersFor = (channel: TemplateChannel): readonly string[] => (channel === "sms" ? SMS_PLACEHOLDERS : PLACEHOLDERS);

const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A placeholder's name: what comes before its fallback (`{{name|friend}}`, lib/mail/compose.ts). */
const nameOf = (inside: string) => inside.split("|")[0].trim();

/** How much of an unclosed `{{` a warning quotes. */
const UNCLOSED_QUOTE = 16;

/**
 * What blocks a send in the texts, as the warnings quote it: each `{{…}}` that is not a known
 * placeholder of `allowed` (`{{nom}}`), and each `{{` left open (`{{ name, the mee…`), which
 * would otherwise go out as typed since only closed ones are filled.
 */
function unknownIn(allowed: readonly string[], texts: string[]): string[] {
  const unknown = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(PATTERN)) if (!allowed.includes(nameOf(m[1]))) unknown.add(`{{${nameOf(m[1])}}}`);
    const rest = text.replace(PATTERN, "");
    for (let at = rest.indexOf("{{"); at >= 0; at = rest.indexOf("{{", at + 2)) {
      const quoted = Array.from(rest.slice(at).split(/\r?\n/)[0]);
      unknown.add(quoted.length > UNCLOSED_QUOTE ? `${quoted.slice(0, UNCLOSED_QUOTE).join("")}…` : quoted.join(""));
    }
  }
  return [...unknown];
}

/** Every `{{…}}` in the texts that is not a known email placeholder. */
export const unknownPlaceholders = (...texts: string[]) => unknownIn(PLACEHOLDERS, texts);

/** The unknown placeholders of a template as it is sent: an SMS only sends its text. */
export function templateUnknownPlaceholders(t: { channel: TemplateChannel; subject: string; html: string; text: string; textEdited: boolean }) {
  return t.channel === "sms" ? unknownIn(SMS_PLACEHOLDERS, [t.text]) : unknownPlaceholders(t.subject, t.html, t.textEdited ? t.text : "");
}

/** Fills the per-send placeholders, leaving the per-recipient ones for the queue; inside a URL, percent-encoded (placedValue). */
export function fillSendPlaceholders(text: string, values: Record<(typeof SEND_PLACEHOLDERS)[number], string>, escape = (s: string) => s) {
  return fillInOrder(text, PATTERN, (match, [inside], before) => {
    const name = nameOf(inside!);
    return Object.hasOwn(values, name) ? escape(placedValue(before, values[name as keyof typeof values])) : match;
  });
}

/**
 * An SMS as one recipient gets it: the per-send placeholders filled as the send does, then the
 * per-recipient ones as the queue does. Pure, so the editor's preview runs it as you type.
 */
export function renderSms(text: string, site: { site_name: string; site_url: string }, recipient: { name: string; phone: string }) {
  return fillPlaceholders(fillSendPlaceholders(text, site), { phone: recipient.phone, name: recipient.name });
}

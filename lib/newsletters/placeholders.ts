/**
 * Placeholders a template may use. Per-recipient ones are filled by the queue when each email
 * is composed; per-send ones are filled once when the send is queued.
 */
export const RECIPIENT_PLACEHOLDERS = ["name", "email", "unsubscribe_url"] as const;
export const SEND_PLACEHOLDERS = ["site_name", "site_url"] as const;
export const PLACEHOLDERS = [...RECIPIENT_PLACEHOLDERS, ...SEND_PLACEHOLDERS] as const;

const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every `{{…}}` in the texts that is not a known placeholder (an unknown one blocks a send). */
export function unknownPlaceholders(...texts: string[]): string[] {
  const unknown = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(PATTERN)) if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) unknown.add(m[1] || "{{}}");
  return [...unknown];
}

/** Fills the per-send placeholders, leaving the per-recipient ones for the queue. */
export function fillSendPlaceholders(text: string, values: Record<(typeof SEND_PLACEHOLDERS)[number], string>, escape = (s: string) => s) {
  return text.replace(PATTERN, (match, name: string) => (name in values ? escape(values[name as keyof typeof values]) : match));
}

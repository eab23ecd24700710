/**
 * Headers of an email a program sends on its own (RFC 3834 §5): out-of-office and other
 * automatic replies are not sent back to it. Newsletters carry list headers instead (render.ts).
 */
export const AUTOMATIC_HEADERS: Record<string, string> = { "Auto-Submitted": "auto-generated" };

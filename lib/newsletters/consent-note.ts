/**
 * What the consent record says of a subscription an administrator added or imported. The words
 * are stored as they are, in English, the same on every site: they are an audit record, and rows
 * stored so for years would otherwise need rewriting. What is shown is worded at display time
 * (consentWords): a screen and its CSV in the reader's language, a script's CSV as stored.
 */
export const addedByNote = (email: string) => `added by ${email}`;
export const importedByNote = (email: string, fileName?: string) => `imported by ${email}${fileName ? ` from ${fileName}` : ""}`;

export type ConsentNote =
  | { key: "addedBy"; values: { who: string } }
  | { key: "importedBy"; values: { who: string } }
  | { key: "importedFrom"; values: { who: string; file: string } };

/** A stored note read back (null: the person's own consent, such as a signup's text, shown as it is). */
export function consentNote(text: string | null): ConsentNote | null {
  if (!text) return null;
  const added = /^added by (\S+)$/.exec(text);
  if (added) return { key: "addedBy", values: { who: added[1] } };
  const imported = /^imported by (\S+?)(?: from (.+))?$/s.exec(text);
  if (!imported) return null;
  return imported[2] ? { key: "importedFrom", values: { who: imported[1], file: imported[2] } } : { key: "importedBy", values: { who: imported[1] } };
}

/**
 * The record in a reader's words: `say` words an administrator's note (its key under
 * subscriptions.consent, and its values); any other text is the person's own consent (a signup's
 * sentence, in the language they read), kept as it is.
 */
export function consentWords(text: string | null, say: (note: ConsentNote) => string): string | null {
  const note = consentNote(text);
  return note ? say(note) : text;
}

import type { Locale } from "@/lib/i18n/config";

/* What a file's headers and cells say, in people's words or the site's own (ImportVocabulary). */

/** A header or cell as compared with the words below: no case, accents, spaces or punctuation. */
export const simplify = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
// A status cell that keeps a row out, as our exports and people write it (see STATUS_HEADERS in columns.ts).
const FILE_STATUSES: Record<string, FileStatus> = {
  unsubscribed: "unsubscribed", desabonne: "unsubscribed", desabonnee: "unsubscribed", desinscrit: "unsubscribed", desinscrite: "unsubscribed", optedout: "unsubscribed", optout: "unsubscribed",
  unconfirmed: "unconfirmed", nonconfirme: "unconfirmed", nonconfirmee: "unconfirmed", pending: "unconfirmed", enattente: "unconfirmed", unverified: "unconfirmed",
};
/** What a file's status column says against importing a row; anything else (confirmed, blank, a word of its own) says nothing. */
export type FileStatus = "unsubscribed" | "unconfirmed";

/**
 * The words this site's own files use (its subscriptions export and the import's refused rows
 * file, in every language, import-vocabulary.ts): the catalogue's, so an administrator's wording
 * from the internationalisation screen is read back too, besides the names people use (here and in columns.ts).
 */
export type ImportVocabulary = {
  headers: Record<"email" | "name" | "phone" | "language" | "status", string[]>;
  statuses: Record<FileStatus, string[]>;
  languages: Record<Locale, string[]>;
};
export type KnownWords = { headers: Record<keyof ImportVocabulary["headers"], Set<string>>; statuses: Map<string, FileStatus>; languages: Map<string, Locale> };
const words = (list: string[]) => new Set(list.map(simplify).filter(Boolean));
/** The vocabulary simplified, to look headers and cells up in. */
export function knownWords(v: ImportVocabulary | undefined): KnownWords {
  const headers = { email: words(v?.headers.email ?? []), name: words(v?.headers.name ?? []), phone: words(v?.headers.phone ?? []), language: words(v?.headers.language ?? []), status: words(v?.headers.status ?? []) };
  const statuses = new Map<string, FileStatus>();
  const languages = new Map<string, Locale>();
  for (const [status, list] of Object.entries(v?.statuses ?? {}) as [FileStatus, string[]][]) for (const w of words(list)) statuses.set(w, status);
  for (const [locale, list] of Object.entries(v?.languages ?? {}) as [Locale, string[]][]) for (const w of words(list)) languages.set(w, locale);
  return { headers, statuses, languages };
}

export const readFileStatus = (cell: string, vocabulary?: KnownWords): FileStatus | null => FILE_STATUSES[simplify(cell)] ?? vocabulary?.statuses.get(simplify(cell)) ?? null;
// What people write in a language column, simplified (case and accents off: "Français" is "francais").
const LANGUAGE_VALUES: Record<string, Locale> = { fr: "fr", fra: "fr", fre: "fr", francais: "fr", french: "fr", en: "en", eng: "en", english: "en", anglais: "en" };

/**
 * A language cell → the app's locale: fr, en, Français, francais, French, English, anglais (any
 * case), or a regional tag (fr-CA, en_GB). Null when it is none of them.
 */
export function readLanguage(cell: string, vocabulary?: KnownWords): Locale | null {
  const tag = /^([a-z]{2})[-_][a-z]{2,3}$/i.exec(cell.trim());
  return LANGUAGE_VALUES[simplify(tag ? tag[1] : cell)] ?? vocabulary?.languages.get(simplify(cell)) ?? null;
}

import { sql, type SQL } from "drizzle-orm";

/**
 * A person's language, for a send to one language's readers, is the one they stated last among
 * their confirmed subscriptions in the send's groups: an aggregate over subscription rows `rows`
 * (with `locale_set_at` and `id`) of their `lang`, counting only those where `only` holds.
 * `locale_set_at` is written only with a stated language (signup, confirmation, add, import,
 * "Set language"), never by an edit that says nothing about language (a number, a move, a name,
 * an undone unsubscribe), which bumps `updated_at`: ordering by that switched people's edition.
 * A stated language wins over an unstated one (nulls last); among equals, the newest row.
 * One language per person, so that one template per language reaches everyone once, even
 * someone who joined one group in French and another in English. The send, its count and the
 * "preview as" search (lib/newsletters/templates.ts) all decide by this.
 */
export const newestLanguage = (rows: SQL, lang: SQL, only?: SQL): SQL =>
  sql`(array_agg(${lang} order by ${rows}.locale_set_at desc nulls last, ${rows}.id desc)${only ? sql` filter (where ${only})` : sql``})[1]`;

/** A subscription's language: its own, else the site's (SQL). */
export const languageOf = (siteLocale: string | undefined, s = sql`s`): SQL => sql`coalesce(${s}.locale, ${siteLocale ?? "fr"})`;

/**
 * newestLanguage over a union `w` of group rows (`from_group`, with `lang`, `locale_set_at`
 * and `id`) and pasted ones: the send's rows decide a person's language by their group rows only.
 */
export const personLanguage = (): SQL => newestLanguage(sql`w`, sql`w.lang`, sql`w.from_group`);

/** newestLanguage of the subscriptions `s` grouped together (one person, or one number). */
export const groupedLanguage = (siteLocale: string | undefined): SQL => newestLanguage(sql`s`, languageOf(siteLocale));

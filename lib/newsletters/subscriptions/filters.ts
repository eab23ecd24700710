import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { subscriptions, subscriptionStatuses, type SubscriptionStatus } from "@/db/schema";
import { likePrefix } from "@/lib/db-utils";
import { emailSearchText } from "@/lib/idn";
import { keysetFields, noControl, parseUrlFilters, urlBigId, urlFilterQuery, type FilterFields, type UrlInput } from "@/lib/url-filters";
import { numberPrefix, phonePrefixWhere } from "@/lib/sms/opt-out-list";
import { DEFAULT_COUNTRY, isPhoneLike } from "@/lib/sms/phone";
import { isLocale, locales, type Locale } from "@/lib/i18n/config";
import { siteLocale } from "@/lib/i18n/reader-locale";

/* The group screen's filters, as they travel in the URL (page, export, links). */

/** `lang`: the language subscribers read (subscriptions.locale); see languageWhere. */
export type SubscriptionFilters = { q?: string; status?: SubscriptionStatus; lang?: Locale; after?: number; before?: number };
type FilterName = keyof SubscriptionFilters;

const filterFields: FilterFields<SubscriptionFilters> = {
  q: z.string().trim().min(1).max(320).regex(noControl),
  status: z.enum(subscriptionStatuses),
  lang: z.enum(locales),
  ...keysetFields(urlBigId),
};

/** Valid filters, plus the names of those given but not understood (dropped, and said so). */
export function parseSubscriptionFilters(input: UrlInput): { filters: SubscriptionFilters; invalid: FilterName[] } {
  return parseUrlFilters(filterFields, input);
}

/** Filters → query string, without the cursor unless `extra` gives one. */
export function subscriptionQuery(filters: SubscriptionFilters, extra: Record<string, string | number | undefined> = {}) {
  return urlFilterQuery(filters, extra);
}

/**
 * One group of one site, filtered. The email prefix uses the text_pattern_ops range so the
 * (site_id, email) index serves it; the LIKE keeps the match exact (`_` and `%` are literal).
 * A number typed as people write it ("06 12…", read in `country`) also finds the mobile numbers
 * it starts. `defaultLocale` is the site's (sites.defaultLocale): see languageWhere.
 */
export function subscriptionsWhere(
  siteId: number,
  groupId: number,
  f: Omit<SubscriptionFilters, "after" | "before"> = {},
  country = DEFAULT_COUNTRY,
  defaultLocale: string | null = null,
): SQL {
  const parts: SQL[] = [eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId)];
  if (f.status) parts.push(eq(subscriptions.status, f.status));
  if (f.lang) parts.push(languageWhere(f.lang, defaultLocale));
  if (f.q) {
    const prefix = f.q.trim().toLowerCase();
    // ann@crème is searched as stored, ann@xn--crme-6oa (emailSearchText says what a partial label finds).
    const typed = emailSearchText(prefix);
    const email = sql`(${subscriptions.email} ~>=~ ${typed} and ${subscriptions.email} ~<~ ${`${typed}\u{10FFFF}`} and ${subscriptions.email} like ${likePrefix(typed)})`;
    const number = isPhoneLike(prefix) ? numberPrefix(prefix, country) : null;
    parts.push(number ? sql`(${email} or ${phonePrefixWhere(subscriptions.phone, number)})` : email);
  }
  return and(...parts)!;
}

/**
 * Subscriptions whose readers get `lang`. A subscription without a language (added before the
 * screens asked for one) is sent in the site's default language, so filtering on that language
 * finds it too; the list stays on the group's (site, group, id) index, this is only a filter on
 * the rows it walks.
 */
export function languageWhere(lang: Locale, defaultLocale: string | null): SQL {
  return lang === siteLocale(defaultLocale) ? sql`(${subscriptions.locale} = ${lang} or ${subscriptions.locale} is null)` : eq(subscriptions.locale, lang);
}

/** A stored language the app speaks, or null (not stated: the site's default applies). */
export const statedLocale = (value: string | null | undefined): Locale | null => (isLocale(value) ? value : null);

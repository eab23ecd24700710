import { createTranslator } from "next-intl";
import { locales, type Locale } from "./config";
import { fileMessages, flatFileMessages, unflatten, type Messages } from "./messages";
import { siteOverrides, type OverrideMap } from "./overrides";
import { overrideProblem } from "./placeholders";

type SiteRef = { id: number; defaultLocale: string };

const fallbackOf = (locale: Locale, site: SiteRef): Locale => {
  if (site.defaultLocale !== locale && (locales as readonly string[]).includes(site.defaultLocale)) return site.defaultLocale as Locale;
  return locales.find((l) => l !== locale)!;
};

const reported = new Set<string>();

/**
 * A site's overrides in a locale that the pages can format. One the internationalisation screen
 * would refuse now (stored before it checked arguments and tags, or by hand) would show its key
 * instead of the text: it is left out, so the file's message shows, and logged once per process.
 */
function usableOverrides(siteId: number, locale: Locale, overrides: Record<string, string>): Record<string, string> {
  const usable: Record<string, string> = {};
  for (const [key, value] of Object.entries(overrides)) {
    const problem = overrideProblem(locale, key, value);
    if (!problem) {
      usable[key] = value;
      continue;
    }
    const id = JSON.stringify([siteId, locale, key]); // bounded by the keys, whatever is stored
    if (reported.has(id)) continue;
    reported.add(id);
    console.warn(`[i18n] site ${siteId}: its ${locale} text for ${key} is not used, the file's is (${problem.key} ${JSON.stringify(problem.values ?? {})})`);
  }
  return usable;
}

/**
 * The messages a site shows in a locale. Precedence, highest first:
 * the site's override in this locale → the file in this locale → the site's override in its
 * fallback locale → the file in the fallback locale. (A missing key then shows its name.)
 */
export function mergeMessages(locale: Locale, site: SiteRef, overrides: OverrideMap): Messages {
  const fb = fallbackOf(locale, site);
  return unflatten({
    ...flatFileMessages(fb),
    ...usableOverrides(site.id, fb, overrides[fb]),
    ...flatFileMessages(locale),
    ...usableOverrides(site.id, locale, overrides[locale]),
  });
}

/**
 * Merging ~400 keys and rebuilding the tree costs milliseconds of CPU per call, and every page,
 * email and signup asks for it. The overrides are still read on every call (a change shows on
 * the next request); only the merge is reused while they are the same.
 */
const merged = new Map<string, { signature: string; messages: Messages }>();

export async function messagesFor(locale: Locale, site: SiteRef): Promise<Messages> {
  return (await siteTexts(site)).messages(locale);
}

function cachedMerge(locale: Locale, site: SiteRef, overrides: OverrideMap, signature: string): Messages {
  const key = `${site.id}:${locale}:${site.defaultLocale}`;
  const hit = merged.get(key);
  if (hit && hit.signature === signature) return hit.messages;
  const messages = mergeMessages(locale, site, overrides);
  merged.set(key, { signature, messages });
  return messages;
}

export type SiteTexts = {
  overrides: OverrideMap;
  messages(locale: Locale): Messages;
  t(locale: Locale): ReturnType<typeof translatorFor>;
};

/**
 * A site's texts for one piece of work that needs several of them (a signup: its groups, the
 * consent sentence and the confirmation email): the overrides are read once, each locale merged
 * when first asked for.
 */
export async function siteTexts(site: SiteRef): Promise<SiteTexts> {
  const overrides = await siteOverrides(site.id);
  const signature = JSON.stringify(overrides);
  const messages = (locale: Locale) => cachedMerge(locale, site, overrides, signature);
  return { overrides, messages, t: (locale) => translatorFor(locale, messages(locale)) };
}

/**
 * Server-side translation for emails, commands and anything outside a React tree:
 * `translate("auth.passwordChanged.subject", "en", site, { name })`.
 */
export async function translate(
  key: string,
  locale: Locale,
  site: SiteRef,
  values?: Record<string, string | number | Date>,
): Promise<string> {
  const messages = await messagesFor(locale, site);
  return translatorFor(locale, messages)(key, values);
}

type Translate = (key: string, values?: Record<string, string | number | Date>) => string;
/**
 * One translator per merged catalogue and locale: a translator keeps the compiled ICU messages,
 * so reusing it (the catalogue object is reused while the overrides are unchanged) saves
 * compiling the same sentences on every email and signup.
 */
const translators = new WeakMap<Messages, Map<Locale, Translate>>();

export function translatorFor(locale: Locale, messages: Messages): Translate {
  let byLocale = translators.get(messages);
  if (!byLocale) translators.set(messages, (byLocale = new Map()));
  let translate = byLocale.get(locale);
  if (!translate) byLocale.set(locale, (translate = newTranslator(locale, messages)));
  return translate;
}

function newTranslator(locale: Locale, messages: Messages): Translate {
  const t = createTranslator({ locale, messages, onError: () => {}, getMessageFallback: ({ key, namespace }) => (namespace ? `${namespace}.${key}` : key) });
  return (key: string, values?: Record<string, string | number | Date>) => t(key as never, values as never) as string;
}

export { fileMessages };

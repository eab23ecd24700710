import { csvDelimiterOf, csvLocaleOf, STABLE_CSV, type CsvFormat } from "@/lib/csv";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";

/**
 * The file an export link asked for (csvExportHref): from a screen, its language's headers and
 * labels, read from the site's catalogue as the screens read it (an administrator's wording in
 * the internationalisation screen applies, as in the import's refused rows file), dates staying
 * ISO 8601; without a language (a script), the stable English names. Separator: csvDelimiterOf.
 */
export async function csvFormatFor(params: URLSearchParams, site: { id: number; defaultLocale: string }): Promise<CsvFormat> {
  const locale = csvLocaleOf(params);
  const delimiter = csvDelimiterOf(params);
  if (locale === null) return { ...STABLE_CSV, delimiter };
  const t = translatorFor(locale, await messagesFor(locale, site));
  return { delimiter, words: (key, _stable, values) => t(key, values) };
}

"use server";
import { formatPhone } from "@/lib/sms/phone";
import { shownEmail } from "@/lib/idn";
import { z } from "zod";
import type { Site } from "@/db/schema";
import { action } from "@/lib/actions/action";
import { ActionError } from "@/lib/actions/errors";
import { locales } from "@/lib/i18n/config";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { idSchema } from "@/lib/ids";
import { groupExists } from "@/lib/newsletters/groups";
import { csvFitsImport, MAX_CSV_BYTES } from "@/lib/newsletters/import-limits";
import { delimiterNames } from "@/lib/newsletters/import/parse-csv";
import { previewImport } from "@/lib/newsletters/import/preview";
import { readImport } from "@/lib/newsletters/import/read";
import { refusedCsv } from "@/lib/newsletters/import/refused-csv";
import { problemsText } from "@/lib/newsletters/import/problem-words";
import { runImport } from "@/lib/newsletters/import/run";
import { importedByNote } from "@/lib/newsletters/consent-note";
import { importVocabulary } from "@/lib/newsletters/import-vocabulary";
import { siteLocale } from "@/lib/i18n/reader-locale";

/**
 * Preview and import receive the same CSV text (read from the file by the browser, or pasted):
 * the import parses it again exactly as the preview did, so no upload is kept on the server.
 * A phone column's national numbers are read in the site's country. `locale` is the reader's
 * (the report's words); `language` the one new addresses read where the file gives none (the
 * site's default when the form did not send it).
 */
const schema = z.object({
  group: idSchema,
  csv: z.string().min(1),
  delimiter: z.enum(delimiterNames).default("auto"),
  status: z.enum(["confirmed", "unconfirmed"]),
  fileName: z.string().trim().max(255).default(""),
  locale: z.enum(locales),
  language: z.enum(locales).optional(),
});

/** The file's checks; gives the site's own files' words (importVocabulary), which the preview and the import read it with. */
async function check(site: Site, input: z.output<typeof schema>) {
  if (!(await groupExists(site, input.group))) throw new ActionError({ key: "errors.groupNotFound" });
  if (!csvFitsImport(input.csv)) throw new ActionError({ key: "errors.csvTooBig", values: { max: Math.floor(MAX_CSV_BYTES / 1000) } }, "csv");
  const vocabulary = await importVocabulary(site);
  const { rows, columns } = readImport(input.csv, input.delimiter, site.defaultCountry, undefined, vocabulary);
  if (rows.length === 0) throw new ActionError({ key: "errors.csvEmpty" }, "csv");
  if (columns.email === null) throw new ActionError({ key: "errors.csvNoEmailColumn" }, "csv");
  return vocabulary;
}

export const previewImportAction = action({ schema, role: "admin" }, async (input, { site }) => {
  const vocabulary = await check(site, input);
  const preview = await previewImport(site.id, input.group, input.csv, { ...input, country: site.defaultCountry, vocabulary });
  // Numbers read are shown as every other screen shows them (the phone metadata stays on the server),
  // addresses with their domain as people write it (nothing is sent back: the import reads the file again).
  const badPhone = (r: (typeof preview.rows)[number]) => r.problem === "invalidPhone" || r.otherProblems.includes("invalidPhone");
  return { ...preview, rows: preview.rows.map((r) => ({ ...r, email: shownEmail(r.email), shownPhone: r.phone && !badPhone(r) ? formatPhone(r.phone) : r.phone })) };
});

export const runImportAction = action({ schema, role: "admin" }, async (input, { site, actor }) => {
  const vocabulary = await check(site, input);
  const consentText = importedByNote(actor.email, input.fileName || undefined);
  const report = await runImport(site.id, input.group, input.csv, {
    ...input,
    consentText,
    country: site.defaultCountry,
    locale: input.language ?? siteLocale(site.defaultLocale),
    vocabulary,
  });
  const t = translatorFor(input.locale, await messagesFor(input.locale, site));
  const csv = report.refused.length
    ? refusedCsv(report.refused, (r) => problemsText([r.reason, ...r.otherProblems], (p) => t(`subscriptions.import.problem.${p}`, { phone: r.typedPhone, language: r.typedLanguage })), [
        t("subscriptions.import.report.line"),
        t("subscriptions.import.report.email"),
        t("subscriptions.import.report.name"),
        t("subscriptions.import.report.phone"),
        t("subscriptions.import.report.language"),
        t("subscriptions.import.report.status"),
        t("subscriptions.import.report.problem"),
      ], input.locale === "fr" ? ";" : ",") // as the French screens' exports (csvExportHref)
    : null;
  // The refused lines' file keeps the stored form, as every export does (lib/idn.ts); the screen shows it as written.
  return { ...report, refused: report.refused.map((r) => ({ ...r, email: shownEmail(r.email) })), csv };
});

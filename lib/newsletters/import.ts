import { db } from "@/db/client";
import { csvHeader, csvLine, csvUnguard, type CsvDelimiter } from "@/lib/csv";
import type { Locale } from "@/lib/i18n/config";
import { normalizePhone } from "@/lib/sms/phone";
import { isEmail, normalizeEmail } from "./addresses";
import { addSubscribers, isRefusedOutcome, lookupAddresses, plannedOutcome, type AddOptions, type AddOutcome, type RefusedOutcome } from "./subscriptions";

export { csvFitsImport, MAX_CSV_BYTES } from "./import-limits";
export const delimiterNames = ["auto", "comma", "semicolon", "tab"] as const;
export type DelimiterName = (typeof delimiterNames)[number];
const delimiterChar = { comma: ",", semicolon: ";", tab: "\t" } as const;
type Delimiter = (typeof delimiterChar)[keyof typeof delimiterChar];

export type CsvRecord = { line: number; cells: string[] };

/**
 * RFC 4180, leniently: `"` opens a quoted field (`""` inside is a quote, line breaks are kept),
 * a quote elsewhere is an ordinary character; CRLF, LF or CR end a record; a leading BOM is
 * dropped. Each record remembers the physical line it starts on (1-based), for the report.
 * `unclosed` is the line of a quote never closed (the rest of the file was read into it).
 */
export function parseCsv(text: string, delimiter: string): { records: CsvRecord[]; unclosed: number | null } {
  const records: CsvRecord[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  const endRecord = () => {
    cells.push(field);
    if (cells.some((c) => c.trim() !== "")) records.push({ line: start, cells });
    cells = [];
    field = "";
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n" || (c === "\r" && src[i + 1] !== "\n")) line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === delimiter) {
      cells.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  const unclosed = quoted ? start : null;
  endRecord();
  return { records, unclosed };
}

/** The separator used most outside quotes in the first lines; `;` wins a tie (French spreadsheets). */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 20; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === "\n") lines++;
    else if (!quoted && c in counts) counts[c as Delimiter]++;
  }
  return ([";", ",", "\t"] as const).reduce((best, d) => (counts[d] > counts[best] ? d : best), ";" as Delimiter);
}

const simplify = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
const EMAIL_HEADERS = new Set(["email", "mail", "courriel", "emailaddress", "adresseemail", "adressemail", "adressecourriel", "adresseelectronique", "adresse", "address"]);
const POSTAL_OR_EMAIL_HEADERS = new Set(["adresse", "address"]);
const NAME_HEADERS = new Set(["name", "fullname", "nomcomplet", "displayname", "nometprenom", "prenometnom", "prenomnom", "nomprenom"]);
const FIRST_HEADERS = new Set(["prenom", "firstname", "givenname", "first"]);
const LAST_HEADERS = new Set(["lastname", "surname", "familyname", "nomdefamille", "last"]);
// What people call a mobile number's column, once "number of"/"numéro de"/"N°" is taken off (see phoneHeader).
const MOBILE_HEADERS = new Set(["mobile", "portable", "cell", "cellphone", "cellular", "cellulaire", "gsm", "mobilephone", "phonemobile", "mobiletelephone", "telephonemobile", "telephoneportable", "telmobile", "telportable", "telmob", "telport"]);
const PHONE_HEADERS = new Set(["phone", "telephone", "tel"]);
// A subscription status column, as our own exports write it ("status": confirmed, unconfirmed,
// unsubscribed for scripts; "Statut": Confirmé, Non confirmé, Désabonné from a French screen, or
// the site's own words, ImportVocabulary) or as people name it.
const STATUS_HEADERS = new Set(["status", "statut", "etat", "subscriptionstatus", "statutabonnement", "statutdabonnement"]);
const FILE_STATUSES: Record<string, FileStatus> = {
  unsubscribed: "unsubscribed", desabonne: "unsubscribed", desabonnee: "unsubscribed", desinscrit: "unsubscribed", desinscrite: "unsubscribed", optedout: "unsubscribed", optout: "unsubscribed",
  unconfirmed: "unconfirmed", nonconfirme: "unconfirmed", nonconfirmee: "unconfirmed", pending: "unconfirmed", enattente: "unconfirmed", unverified: "unconfirmed",
};
/** What a file's status column says against importing a row; anything else (confirmed, blank, a word of its own) says nothing. */
export type FileStatus = "unsubscribed" | "unconfirmed";

/**
 * The words this site's own files use (its subscriptions export and the import's refused rows
 * file, in every language, import-vocabulary.ts): the catalogue's, so an administrator's wording
 * from the internationalisation screen is read back too, besides the names people use below.
 */
export type ImportVocabulary = {
  headers: Record<"email" | "name" | "phone" | "language" | "status", string[]>;
  statuses: Record<FileStatus, string[]>;
  languages: Record<Locale, string[]>;
};
type Known = { headers: Record<keyof ImportVocabulary["headers"], Set<string>>; statuses: Map<string, FileStatus>; languages: Map<string, Locale> };
const words = (list: string[]) => new Set(list.map(simplify).filter(Boolean));
function known(v: ImportVocabulary | undefined): Known {
  const headers = { email: words(v?.headers.email ?? []), name: words(v?.headers.name ?? []), phone: words(v?.headers.phone ?? []), language: words(v?.headers.language ?? []), status: words(v?.headers.status ?? []) };
  const statuses = new Map<string, FileStatus>();
  const languages = new Map<string, Locale>();
  for (const [status, list] of Object.entries(v?.statuses ?? {}) as [FileStatus, string[]][]) for (const w of words(list)) statuses.set(w, status);
  for (const [locale, list] of Object.entries(v?.languages ?? {}) as [Locale, string[]][]) for (const w of words(list)) languages.set(w, locale);
  return { headers, statuses, languages };
}

export const readFileStatus = (cell: string, vocabulary?: Known): FileStatus | null => FILE_STATUSES[simplify(cell)] ?? vocabulary?.statuses.get(simplify(cell)) ?? null;
const LANGUAGE_HEADERS = new Set(["language", "langue", "locale", "lang", "preferredlanguage", "languepreferee"]);
// What people write in a language column, simplified (case and accents off: "Français" is "francais").
const LANGUAGE_VALUES: Record<string, Locale> = { fr: "fr", fra: "fr", fre: "fr", francais: "fr", french: "fr", en: "en", eng: "en", english: "en", anglais: "en" };

/**
 * A language cell → the app's locale: fr, en, Français, francais, French, English, anglais (any
 * case), or a regional tag (fr-CA, en_GB). Null when it is none of them.
 */
export function readLanguage(cell: string, vocabulary?: Known): Locale | null {
  const tag = /^([a-z]{2})[-_][a-z]{2,3}$/i.exec(cell.trim());
  return LANGUAGE_VALUES[simplify(tag ? tag[1] : cell)] ?? vocabulary?.languages.get(simplify(cell)) ?? null;
}

/**
 * 2 for a mobile number's header ("Mobile number", "Numéro de portable", "N° de GSM", "Cell"…,
 * as our own screens and exports name it), 1 for a phone's ("Téléphone", "Phone number"), else 0.
 * A note in brackets is ignored: "Mobile number (optional)".
 */
function phoneHeader(label: string): 0 | 1 | 2 {
  const n = simplify(label.replace(/\([^)]*\)/g, ""));
  const core = n.replace(/^(numeros?|num|nos?|n)(de|du)?(?=[a-z])/, "").replace(/(numbers?|nos?|nums?|numeros?)$/, "");
  if (MOBILE_HEADERS.has(n) || MOBILE_HEADERS.has(core)) return 2;
  return PHONE_HEADERS.has(n) || PHONE_HEADERS.has(core) ? 1 : 0;
}

export type Columns = {
  header: boolean;
  email: number | null;
  name: number[];
  phone: number | null;
  language: number | null;
  status: number | null;
  labels: { email: string | null; name: string | null; phone: string | null; language: string | null; status: string | null };
};

/**
 * Which columns hold the address, the name and the phone. A first row naming an email column
 * (email, e-mail, courriel…) is a header; so is a first row with no "@" at all. Without a
 * recognised name, the email column is the one whose cells most often contain an "@", and a
 * two-column file's other column is the name. "Prénom" and "Nom" (first and last name) are
 * joined. A phone column is only taken from a header (phone, téléphone, mobile number, numéro
 * de portable…, a mobile one first): guessing one from digits could store postcodes or customer
 * numbers as mobile numbers. A language column (language, langue, locale, lang) too: without one,
 * every row takes the language chosen for the import. A status column (status, statut…), as our
 * own export writes, says which rows must not be imported (readImport). Headers this site's own
 * files write (`vocabulary`, whatever it calls them) are read as those columns too.
 */
export function detectColumns(records: CsvRecord[], vocabulary: Known = known(undefined)): Columns {
  const first = records[0]?.cells ?? [];
  const names = first.map(simplify);
  const { headers: own } = vocabulary;
  // "Adresse"/"Address" alone is as often a postal address: a column named for email comes
  // first, and a bare "Adresse" is the email column only when it holds addresses.
  const specific = names.findIndex((n) => (EMAIL_HEADERS.has(n) || own.email.has(n)) && !POSTAL_OR_EMAIL_HEADERS.has(n));
  const generic = names.findIndex((n) => POSTAL_OR_EMAIL_HEADERS.has(n));
  const holdsAddresses = (i: number) => records.slice(1, 51).some((r) => r.cells[i]?.includes("@"));
  let email: number | null = specific >= 0 ? specific : generic >= 0 && holdsAddresses(generic) ? generic : -1;
  const header = specific >= 0 || generic >= 0 || (records.length > 1 && !first.some((c) => c.includes("@")));
  if (email < 0) {
    const body = records.slice(header ? 1 : 0, 51);
    const width = Math.max(0, ...body.map((r) => r.cells.length));
    const hits = Array.from({ length: width }, (_, i) => body.filter((r) => r.cells[i]?.includes("@")).length);
    const best = hits.indexOf(Math.max(0, ...hits));
    email = best >= 0 && hits[best] > 0 ? best : null;
  }
  let name: number[] = [];
  let phone: number | null = null;
  let language: number | null = null;
  let status: number | null = null;
  if (header) {
    const lang = names.findIndex((n, i) => i !== email && (LANGUAGE_HEADERS.has(n) || own.language.has(n)));
    if (lang >= 0) language = lang;
    const stated = names.findIndex((n, i) => i !== email && (STATUS_HEADERS.has(n) || own.status.has(n)));
    if (stated >= 0) status = stated;
    // A mobile column wins over a phone one, which may hold landlines ("Téléphone;Portable").
    const kinds: number[] = first.map((label, i) => (i === email ? 0 : own.phone.has(names[i]) ? 2 : phoneHeader(label)));
    const best = Math.max(0, ...kinds);
    if (best > 0) phone = kinds.indexOf(best);
    const full = names.findIndex((n, i) => i !== email && (NAME_HEADERS.has(n) || own.name.has(n)));
    const firstName = names.findIndex((n, i) => i !== email && FIRST_HEADERS.has(n));
    const lastName = names.findIndex((n, i) => i !== email && (LAST_HEADERS.has(n) || (firstName >= 0 && n === "nom")));
    if (full >= 0) name = [full];
    else if (firstName >= 0 || lastName >= 0) name = [firstName, lastName].filter((i) => i >= 0);
    else {
      const nom = names.findIndex((n, i) => i !== email && n === "nom");
      if (nom >= 0) name = [nom];
    }
  } else if (email !== null && Math.max(...records.slice(0, 50).map((r) => r.cells.length)) === 2) {
    name = [email === 0 ? 1 : 0];
  }
  const label = (i: number) => (header ? first[i].trim() : `#${i + 1}`);
  return {
    header,
    email,
    name,
    phone,
    language,
    status,
    labels: {
      email: email === null ? null : label(email),
      name: name.length ? name.map(label).join(" + ") : null,
      phone: phone === null ? null : label(phone),
      language: language === null ? null : label(language),
      status: status === null ? null : label(status),
    },
  };
}

export type ImportProblem = "missingEmail" | "invalidEmail" | "invalidPhone" | "invalidLanguage" | "duplicate" | "unclosedQuote" | "unsubscribedInFile" | "unconfirmedInFile";
/**
 * `phone` is in E.164, or as typed when it is the row's problem (invalidPhone); null when the cell
 * is empty or absent. `typedPhone` is the cell as typed ("" without one), for the refused rows' file.
 * `locale` is the row's language cell read (readLanguage), null when empty or absent (the import's
 * chosen language then applies); `typedLanguage` the cell as typed; `typedStatus` the status
 * column's cell as typed ("" without one).
 */
export type ImportRow = {
  line: number;
  email: string;
  name: string;
  phone: string | null;
  typedPhone: string;
  locale: Locale | null;
  typedLanguage: string;
  typedStatus: string;
  problem: ImportProblem | null;
  duplicateOf?: number;
};

// PostgreSQL cannot store NUL; other control characters have no place in a name either.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").replace(/\s+/g, " ").trim();

/**
 * The file's rows, validated: line, address (normalised), name, phone (in E.164, national
 * numbers read in `country`, the site's) and problem. A row with an invalid phone is refused
 * whole rather than imported without it, so that the number can be corrected and the row sent
 * again; so is a row whose language is not one the app speaks (rather than mailed in a guessed one),
 * one its status column says unsubscribed, and one it says unconfirmed when `importStatus` would
 * confirm it. A cell our exports guarded against formulas (`'+33…`, `'=…`) loses that apostrophe.
 * Duplicates of an address are merged into its first row (which takes a name and a phone
 * from them if it has none).
 */
export function readImport(text: string, delimiterName: DelimiterName, country: string, importStatus: AddOptions["status"] = "confirmed", vocabulary?: ImportVocabulary) {
  const own = known(vocabulary);
  const delimiter = delimiterName === "auto" ? detectDelimiter(text) : delimiterChar[delimiterName];
  const parsed = parseCsv(text, delimiter);
  // Our own exports write `'+33…` so that spreadsheets do not read numbers as formulas: read them back as written.
  const records = parsed.records.map((r) => ({ ...r, cells: r.cells.map(csvUnguard) }));
  const unclosed = parsed.unclosed;
  const columns = detectColumns(records, own);
  const rows: ImportRow[] = [];
  const firstOf = new Map<string, ImportRow>();
  for (const record of columns.header ? records.slice(1) : records) {
    let raw = clean(columns.email === null ? "" : (record.cells[columns.email] ?? ""));
    let name = clean(columns.name.map((i) => record.cells[i] ?? "").join(" ")).slice(0, 200);
    const named = /^(.*)<([^<>]+)>$/.exec(raw); // "Ann Example <ann@example.org>"
    if (named) {
      raw = named[2].trim();
      name ||= clean(named[1].replace(/^["']|["']$/g, "")).slice(0, 200);
    }
    const email = normalizeEmail(raw);
    const typedPhone = clean(columns.phone === null ? "" : (record.cells[columns.phone] ?? "")).slice(0, 40);
    const phone = typedPhone ? normalizePhone(typedPhone, country) : null;
    const typedLanguage = clean(columns.language === null ? "" : (record.cells[columns.language] ?? "")).slice(0, 40);
    const locale = typedLanguage ? readLanguage(typedLanguage, own) : null;
    const typedStatus = clean(columns.status === null ? "" : (record.cells[columns.status] ?? "")).slice(0, 40);
    const fileStatus = readFileStatus(typedStatus, own);
    const row: ImportRow = {
      line: record.line,
      email: (email || raw).slice(0, 320),
      name,
      phone: phone?.ok ? phone.e164 : typedPhone || null,
      typedPhone,
      locale,
      typedLanguage,
      typedStatus,
      problem: null,
    };
    if (record.line === unclosed) row.problem = "unclosedQuote";
    else if (!email) row.problem = "missingEmail";
    else if (!isEmail(email)) row.problem = "invalidEmail";
    else if (phone && !phone.ok) row.problem = "invalidPhone";
    else if (typedLanguage && !locale) row.problem = "invalidLanguage";
    // A group's export imported back (or into another group) must not subscribe those who left,
    // nor confirm those who never confirmed: consent is the person's, not the file's.
    else if (fileStatus === "unsubscribed") row.problem = "unsubscribedInFile";
    else if (fileStatus === "unconfirmed" && importStatus === "confirmed") row.problem = "unconfirmedInFile";
    else if (firstOf.has(email)) {
      const kept = firstOf.get(email)!;
      kept.name ||= name;
      kept.phone ||= row.phone;
      kept.locale ||= locale;
      Object.assign(row, { problem: "duplicate", duplicateOf: kept.line });
    } else firstOf.set(email, row);
    rows.push(row);
  }
  return { delimiter: (Object.keys(delimiterChar) as (keyof typeof delimiterChar)[]).find((k) => delimiterChar[k] === delimiter)!, columns, rows };
}

/** `newPhone`: the row's phone will be the address's number where it had none in the group, or another one (in the group or its others). */
/** `shownPhone`: the number formatted for reading, added by the preview action (the browser has no phone metadata). */
/** `refused`: see isRefused. */
export type PreviewRow = ImportRow & { outcome: AddOutcome | null; newPhone: boolean; refused: boolean; shownPhone?: string | null };
export type ImportPreview = Omit<ReturnType<typeof readImport>, "rows"> & {
  rows: PreviewRow[];
  total: number;
  /** `merged`: duplicates of an earlier row, merged into it (neither imported on their own nor refused). */
  counts: Record<AddOutcome | "problems" | "merged", number>;
  /** Addresses already in the group whose phone the import sets or changes (counted in `already` or `confirmed` too). */
  phones: number;
  hidden: number;
};

/**
 * A row the import leaves out, to be corrected and imported again: a problem, or an address that
 * unsubscribed or was erased. A duplicate is not one: its address is imported (with its name and phone, if the
 * first row had none) through the row it was merged into; refused, it would be counted twice and
 * sent back in the refused rows' file to be imported again.
 */
const isRefused = (problem: ImportProblem | null, outcome: AddOutcome | null) =>
  (problem !== null && problem !== "duplicate") || isRefusedOutcome(outcome);

const PREVIEW_GOOD_ROWS = 300;
const PREVIEW_MAX_ROWS = 1000;

/**
 * What an import would do, row by row, without writing anything: the file's problems, and
 * for good rows whether the address is new, already there, confirmed now, or refused because
 * it unsubscribed. Large files show every refused row (up to 1,000) and the first good ones.
 */
export async function previewImport(siteId: number, groupId: number, text: string, options: { delimiter: DelimiterName; status: AddOptions["status"]; country: string; vocabulary?: ImportVocabulary }): Promise<ImportPreview> {
  const read = readImport(text, options.delimiter, options.country, options.status, options.vocabulary);
  const rows = await withOutcomes(siteId, groupId, read.rows, options.status);
  const counts = { added: 0, confirmed: 0, already: 0, unsubscribed: 0, suppressed: 0, erased: 0, erasedPhone: 0, problems: 0, merged: 0 };
  const shown: PreviewRow[] = [];
  let good = 0;
  let phones = 0;
  for (const r of rows) {
    counts[r.problem === "duplicate" ? "merged" : (r.outcome ?? "problems")]++;
    if (r.newPhone) phones++;
    if (shown.length < PREVIEW_MAX_ROWS && (r.refused || good++ < PREVIEW_GOOD_ROWS)) shown.push(r);
  }
  return { ...read, rows: shown, total: rows.length, counts, phones, hidden: rows.length - shown.length };
}

async function withOutcomes(siteId: number, groupId: number, rows: ImportRow[], status: AddOptions["status"]): Promise<PreviewRow[]> {
  const good = rows.filter((r) => !r.problem);
  const outcome = new Map<string, { planned: AddOutcome; phone: string | null | undefined; sitePhone: string | undefined }>();
  for (let i = 0; i < good.length; i += 1000) {
    const chunk = good.slice(i, i + 1000);
    const found = await lookupAddresses(siteId, groupId, chunk.map((r) => r.email), db, chunk.flatMap((r) => (r.phone ? [r.phone] : [])));
    for (const r of chunk) outcome.set(r.email, { planned: plannedOutcome(r.email, status, found, r.phone), phone: found.existing.get(r.email)?.phone, sitePhone: found.sitePhones.get(r.email) });
  }
  return rows.map((r) => {
    if (r.problem) return { ...r, outcome: null, newPhone: false, refused: isRefused(r.problem, null) };
    const { planned, phone, sitePhone } = outcome.get(r.email)!;
    // As addSubscribers does: a phone given for an address already there (not unsubscribed) sets
    // or replaces its number; for an address new to the group, it replaces the number the person
    // has in their other groups.
    const inGroup = planned === "already" || planned === "confirmed";
    const replacesElsewhere = planned === "added" && sitePhone !== undefined && r.phone !== sitePhone;
    return { ...r, outcome: planned, newPhone: r.phone !== null && ((inGroup && r.phone !== phone) || replacesElsewhere), refused: isRefused(null, planned) };
  });
}

export type RefusedRow = {
  line: number;
  email: string;
  name: string;
  phone: string | null;
  typedPhone: string;
  typedLanguage: string;
  typedStatus: string;
  reason: Exclude<ImportProblem, "duplicate"> | RefusedOutcome;
};
/**
 * `phones`: addresses whose number was set or changed: in the group, or replaced in the person's
 * other groups (counted in their outcome too). `merged`: duplicate rows, merged into an earlier one.
 */
export type ImportReport = { total: number; added: number; confirmed: number; already: number; merged: number; phones: number; refused: RefusedRow[] };

/**
 * Imports the good rows (source "import"): new addresses get `status`, unconfirmed ones are
 * confirmed if `status` is confirmed, confirmed ones stay so, and unsubscribed, suppressed or erased
 * addresses are left as they are and reported with the file's problems, by line. Duplicates
 * are counted apart (merged), not refused. New addresses read their row's language, else `locale`.
 */
export async function runImport(
  siteId: number,
  groupId: number,
  text: string,
  options: { delimiter: DelimiterName; status: AddOptions["status"]; consentText: string; country: string; locale: Locale; vocabulary?: ImportVocabulary; existingGroup?: boolean },
): Promise<ImportReport> {
  const { rows } = readImport(text, options.delimiter, options.country, options.status, options.vocabulary);
  const good = rows.filter((r) => !r.problem);
  const { outcomes, phones } = await addSubscribers(siteId, groupId, good, {
    status: options.status,
    source: "import",
    consentText: options.consentText,
    locale: options.locale,
    existingGroup: options.existingGroup,
  });
  const report: ImportReport = { total: rows.length, added: 0, confirmed: 0, already: 0, merged: 0, phones: phones.size, refused: [] };
  for (const r of rows) {
    const outcome = r.problem ? null : outcomes.get(r.email)!;
    if (outcome === "added" || outcome === "confirmed" || outcome === "already") report[outcome]++;
    else if (r.problem === "duplicate") report.merged++;
    else report.refused.push({ line: r.line, email: r.email, name: r.name, phone: r.phone, typedPhone: r.typedPhone, typedLanguage: r.typedLanguage, typedStatus: r.typedStatus, reason: r.problem ?? (outcome as RefusedOutcome) });
  }
  return report;
}

/**
 * The refused rows as a CSV file (line, email, name, mobile number, language, status, problem),
 * problems in the reader's words, to be corrected and imported again: the number, the language
 * and the status are kept as typed, under headers this import recognises (the translated "Mobile
 * number", "Language" and "Status"), like the email and the name. So a row refused because the
 * file said it unsubscribed is refused again when the file comes back, into any group.
 */
export function refusedCsv(
  refused: RefusedRow[],
  describe: (row: RefusedRow) => string,
  header: [line: string, email: string, name: string, phone: string, language: string, status: string, problem: string],
  delimiter: CsvDelimiter = ",",
): string {
  return `${csvHeader(header, delimiter)}${refused.map((r) => csvLine([r.line, r.email, r.name, r.typedPhone, r.typedLanguage, r.typedStatus, describe(r)], delimiter)).join("")}`;
}

import { knownWords, simplify, type KnownWords } from "./cell-words";
import type { CsvRecord } from "./parse-csv";

/* Which of a file's columns hold the address, the name, the number, the language and the status. */

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
// the site's own words, ImportVocabulary) or as people name it (readFileStatus reads its cells).
const STATUS_HEADERS = new Set(["status", "statut", "etat", "subscriptionstatus", "statutabonnement", "statutdabonnement"]);
const LANGUAGE_HEADERS = new Set(["language", "langue", "locale", "lang", "preferredlanguage", "languepreferee"]);

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
export function detectColumns(records: CsvRecord[], vocabulary: KnownWords = knownWords(undefined)): Columns {
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

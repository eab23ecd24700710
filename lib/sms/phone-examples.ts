// Sample numbers for the hints and placeholders of phone fields, in the site's country: people
// type numbers nationally for it (normalizePhone), so a French sample on a Belgian site taught
// them a format the site does not read. Computed on the server and handed to the messages as
// ICU values, so the page hydrates as rendered.
import { getCountryCallingCode, getExampleNumber, isSupportedCountry, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import { countryName } from "@/lib/newsletters/phones";
import { DEFAULT_COUNTRY } from "./phone";

export type PhoneExamples = {
  /** The country national numbers are read in, named in the reader's language ("Belgium"). */
  country: string;
  /** A mobile number written internationally ("+32 450 00 12 34"). */
  example: string;
  /** The same number as people write it in the country ("0450 00 12 34"). */
  national: string;
  /** The same number in E.164, as it is stored and sent ("+32450001234"). */
  e164: string;
  /** The country's calling code ("+32"). */
  prefix: string;
  /** The start of `example`, as typed to search numbers ("+32 450"). */
  internationalStart: string;
  /** The start of `national`, as typed to search numbers ("0450"). */
  nationalStart: string;
  /** Another country's calling code, to show how a foreign number is typed ("+33"). */
  other: string;
};

/** France's numbering plan spans its overseas departments (phone.ts): a foreign number there is not +33. */
const FRENCH_PLAN = new Set(["FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM"]);

/**
 * Examples for a site whose `defaultCountry` is `code`, its name in `locale`. libphonenumber's
 * mobile examples cover every country it supports; a code it does not support reads no national
 * number at all (normalizePhone), so its "national" example is an international one.
 */
export function phoneExamples(code: string, locale: string): PhoneExamples {
  const upper = code.toUpperCase();
  const supported = isSupportedCountry(upper);
  const number = getExampleNumber((supported ? upper : DEFAULT_COUNTRY) as CountryCode, examples);
  if (!number) throw new Error(`no example number for ${upper}`); // libphonenumber has one for every country it supports
  const example = number.formatInternational();
  const national = supported ? number.formatNational() : example;
  const prefix = `+${getCountryCallingCode(number.country ?? DEFAULT_COUNTRY)}`;
  return {
    country: countryName(upper, locale),
    example,
    national,
    e164: number.number,
    prefix,
    internationalStart: example.split(" ").slice(0, 2).join(" "),
    nationalStart: national.split(" ")[0],
    other: FRENCH_PLAN.has(upper) ? "+32" : "+33",
  };
}

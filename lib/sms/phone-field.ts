import type { Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { normalizePhone } from "./phone";

/**
 * A mobile number typed in a form, nationally for the site's country or internationally, in
 * E.164 (the form an SMS send dedupes and the gateway takes); "" is no number. An invalid one, or
 * one that cannot take an SMS (a landline) unless `anyLine`, is refused on the `phone` field,
 * quoting what was typed.
 */
export function typedPhone(typed: string, site: Pick<Site, "defaultCountry">, options: { anyLine?: boolean } = {}): string | null {
  if (!typed) return null;
  const phone = normalizePhone(typed, site.defaultCountry, options);
  if (!phone.ok) throw new ActionError({ key: "errors.invalidPhone", values: { number: typed } }, "phone");
  return phone.e164;
}

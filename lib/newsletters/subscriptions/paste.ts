import { shownEmail } from "@/lib/idn";
import type { Locale } from "@/lib/i18n/config";
import { parsePastedSubscribers } from "../phones";
import { addSubscribers } from "./add";
import { isRefusedOutcome } from "./planned-outcome";

/**
 * `numbersAdded`: addresses already in the group that had no number and got the pasted one;
 * `numbersChanged`: those whose number the pasted one replaced (they are counted in `already`
 * or `confirmed` too).
 */
export type PasteReport = {
  added: number;
  confirmed: number;
  already: number;
  numbersAdded: number;
  numbersChanged: string[];
  /** Addresses that unsubscribed, left everything or were erased: only the person can come back. */
  refused: string[];
  /** Addresses left out for the number given with them, someone erased's (erasedPhone): they may come without it. */
  refusedNumbers: string[];
  invalid: string[];
};

/**
 * "Paste many": every address of the text is added as confirmed (source "screen"). A number
 * pasted beside an address already in the group replaces its number, as the CSV import does
 * and the one-address form does: what the administrator types now is the newest number they
 * have, and keeping the old one would silently drop it. Unlike the import there is no preview,
 * so the report says which addresses had their number replaced, for a mistake to be seen.
 */
export async function pasteAddresses(siteId: number, groupId: number, text: string, consentText: string, country: string, locale: Locale): Promise<PasteReport> {
  const { entries, invalid } = parsePastedSubscribers(text, country);
  const { outcomes, phones } = await addSubscribers(siteId, groupId, entries, { status: "confirmed", source: "screen", consentText, locale });
  const numbersChanged = [...phones].filter(([, before]) => before !== null).map(([email]) => email);
  const report: PasteReport = { added: 0, confirmed: 0, already: 0, numbersAdded: phones.size - numbersChanged.length, numbersChanged, refused: [], refusedNumbers: [], invalid };
  for (const [email, outcome] of outcomes) {
    if (outcome === "erasedPhone") report.refusedNumbers.push(email);
    else if (isRefusedOutcome(outcome)) report.refused.push(email);
    else report[outcome]++;
  }
  return report;
}

/** The report as the screen lists it: its addresses as people write them (lib/idn.ts); `invalid` is already as typed. */
export const shownPasteReport = (r: PasteReport): PasteReport => {
  const shown = (list: string[]) => list.map(shownEmail);
  return { ...r, numbersChanged: shown(r.numbersChanged), refused: shown(r.refused), refusedNumbers: shown(r.refusedNumbers) };
};

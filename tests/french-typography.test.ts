import { describe, expect, it } from "vitest";
import { flatten } from "@/lib/i18n/messages";
import fr from "@/messages/fr.json";

// French sets a narrow no-break space (U+202F) before ; : ! ? and a no-break space inside « »:
// with an ordinary space a line may break before the mark, leaving it alone at the start of
// the next line. SMS texts are not concerned: no French label is sent as an SMS (U+202F is
// outside the GSM alphabet and would make an SMS UCS-2).

/**
 * A high punctuation mark after an ordinary or a full-width no-break space (U+00A0: too wide
 * before the mark), where a mark ends a phrase.
 */
const LOOSE_MARK = /[ \u00a0][:;!?](?=\s|$|[)»"’.,}])/;

describe("French labels", () => {
  const entries = Object.entries(flatten(fr));

  it("put a narrow no-break space before ; : ! ?", () => {
    expect(entries.filter(([, v]) => LOOSE_MARK.test(v)).map(([k]) => k)).toEqual([]);
    // The rule is applied, not vacuously met.
    expect(entries.filter(([, v]) => /\u202f[:;!?]/.test(v)).length).toBeGreaterThan(100);
  });

  it("put no-break spaces inside « »", () => {
    expect(entries.filter(([, v]) => /« | »/.test(v)).map(([k]) => k)).toEqual([]);
  });

  it("keep n° with its number, and a size with its unit, on one line (no-break space)", () => {
    expect(entries.filter(([, v]) => /n° |[\d}] (?:[KMG]o|h)\b/.test(v)).map(([k]) => k)).toEqual([]);
  });

  it("leave a URL's query mark alone", () => {
    expect(entries.find(([k]) => k === "sites.smsUrlHint")?.[1]).toContain("(ajoutez ?tps=50");
  });
});

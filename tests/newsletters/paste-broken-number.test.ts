import { describe, expect, it } from "vitest";
import { parsePastedSubscribers } from "@/lib/newsletters/phones";

/**
 * Subscriptions » Paste addresses, as an admin walking the SMS path found it: a line whose number
 * was cut short ("jo@example.org Jo 06 12") was added with the name "Jo 06 12" and no number, and
 * the report counted it as added, while the same line without a name ("mo@example.org 06 12")
 * was refused, and the CSV import refuses "06 12" in its mobile column. Digits too few for a
 * number are a typo to correct, whatever stands beside them, as the paste's doc promises for
 * other columns (an id).
 */
describe("pasting a person whose number is cut short", () => {
  it("refuses the line, given back as typed, instead of taking the digits for a name", () => {
    const pasted = parsePastedSubscribers("jo@example.org Jo 06 12\nNat Smith <nat@example.org> 0612\nann@example.org\tAnn\t42", "FR");
    expect(pasted.entries).toEqual([]);
    expect(pasted.invalid).toEqual(["jo@example.org Jo 06 12", "Nat Smith <nat@example.org> 0612", "ann@example.org\tAnn\t42"]);
  });

  it("still reads names with a digit in a word, and whole numbers", () => {
    expect(parsePastedSubscribers("Ann 2e <ann@example.org> 06 12 34 56 78\nR2D2 Droid <r2@example.org>", "FR").entries).toEqual([
      { email: "ann@example.org", name: "Ann 2e", phone: "+33612345678" },
      { email: "r2@example.org", name: "R2D2 Droid", phone: null },
    ]);
  });
});

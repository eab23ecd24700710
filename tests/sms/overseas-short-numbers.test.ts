import { describe, expect, it } from "vitest";
import { normalizePhone } from "@/lib/sms/phone";

// France's overseas departments share its 10-digit national plan (0692…, 0694…): only a national
// number of that shape may be read for another calling code of the plan. A six- or seven-digit
// string typed on a French site (a truncated mobile, a customer code in a phone column) is no
// French number, and must not become a Saint-Pierre-et-Miquelon mobile that SMS are sent to.
describe("overseas readings of a French site's numbers", () => {
  it("still reads 0692… and 0694… for Réunion and Guyane", () => {
    expect(normalizePhone("06 92 12 34 56", "FR")).toEqual({ ok: true, e164: "+262692123456" });
    expect(normalizePhone("0694 20 12 34", "FR")).toEqual({ ok: true, e164: "+594694201234" });
    // Nine digits without the 0, as an SMSC gives a national sender, are of the plan too.
    expect(normalizePhone("692123456", "FR")).toEqual({ ok: true, e164: "+262692123456" });
    expect(normalizePhone("612345678", "RE")).toEqual({ ok: true, e164: "+33612345678" });
  });

  it("refuses a six-digit number instead of reading it as Saint-Pierre-et-Miquelon", () => {
    expect(normalizePhone("55 12 34", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizePhone("0551234", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizePhone("412345", "FR", { anyLine: true })).toEqual({ ok: false, reason: "invalid" });
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_COUNTRY, formatPhone, isPhoneLike, normalizePhone, normalizeSender } from "@/lib/sms/phone";

describe("normalizePhone", () => {
  it("national format with the site's default country", () => {
    expect(DEFAULT_COUNTRY).toBe("FR");
    expect(normalizePhone("06 12 34 56 78", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone("06.12.34.56.78", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone("06-12-34-56-78", "fr")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone(" 0612345678 ", DEFAULT_COUNTRY)).toEqual({ ok: true, e164: "+33612345678" });
  });

  it("international format, whatever the default country", () => {
    expect(normalizePhone("+33 6 12 34 56 78", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone("+33 (0)6 12 34 56 78", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone("+33612345678", "BE")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone("+32 470 12 34 56", "FR")).toEqual({ ok: true, e164: "+32470123456" });
  });

  it("00 international prefix", () => {
    expect(normalizePhone("0033 6 12 34 56 78", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizePhone("0033612345678", "BE")).toEqual({ ok: true, e164: "+33612345678" });
    // The US dials out with 011, yet a pasted "0033…" is still understood.
    expect(normalizePhone("0033612345678", "US")).toEqual({ ok: true, e164: "+33612345678" });
  });

  it("another default country", () => {
    expect(normalizePhone("0470 12 34 56", "BE")).toEqual({ ok: true, e164: "+32470123456" });
    expect(normalizePhone("(201) 555-0123", "US")).toEqual({ ok: true, e164: "+12015550123" });
  });

  it("reads a French national number in the overseas department it belongs to, as France dials it", () => {
    // One national plan, several calling codes: 0692… is a Réunion mobile, dialled so from Paris.
    expect(normalizePhone("0692 12 34 56", "FR")).toEqual({ ok: true, e164: "+262692123456" });
    expect(normalizePhone("0690 12 34 56", "FR")).toEqual({ ok: true, e164: "+590690123456" }); // Guadeloupe
    expect(normalizePhone("0696 12 34 56", "FR")).toEqual({ ok: true, e164: "+596696123456" }); // Martinique
    // And the other way: a Réunion site's members type Paris mobiles nationally too.
    expect(normalizePhone("06 12 34 56 78", "RE")).toEqual({ ok: true, e164: "+33612345678" });
    // Only within that plan: a Belgian site reads no French number nationally.
    expect(normalizePhone("0692 12 34 56", "BE")).toEqual({ ok: false, reason: "invalid" });
    // A number valid for the site's own country keeps that reading.
    expect(normalizePhone("06 12 34 56 78", "FR")).toEqual({ ok: true, e164: "+33612345678" });
  });

  it("refuses numbers that cannot take an SMS (landlines, premium rate), except as a reply's sender", () => {
    expect(normalizePhone("01 40 00 00 00", "FR")).toEqual({ ok: false, reason: "not_mobile" }); // Paris landline
    expect(normalizePhone("02 234 56 78", "BE")).toEqual({ ok: false, reason: "not_mobile" });
    expect(normalizePhone("08 99 12 34 56", "FR")).toEqual({ ok: false, reason: "not_mobile" }); // premium rate
    expect(normalizePhone("+1 800 555 0199", "FR")).toEqual({ ok: true, e164: "+18005550199" }); // toll-free: often text-enabled
    expect(normalizePhone("01 40 00 00 00", "FR", { anyLine: true })).toEqual({ ok: true, e164: "+33140000000" });
    // Mobile, North America's "fixed line or mobile", and VoIP numbers are kept.
    expect(normalizePhone("07 56 12 34 56", "FR")).toEqual({ ok: true, e164: "+33756123456" });
    expect(normalizePhone("(202) 555-0123", "US")).toEqual({ ok: true, e164: "+12025550123" });
    expect(normalizePhone("09 00 00 00 00", "FR")).toEqual({ ok: true, e164: "+33900000000" });
  });

  it("rejects invalid numbers", () => {
    expect(normalizePhone("06 12 34", "FR")).toEqual({ ok: false, reason: "invalid" }); // too short
    expect(normalizePhone("06 12 34 56 78 90", "FR")).toEqual({ ok: false, reason: "invalid" }); // too long
    expect(normalizePhone("06 12 AB 56 78", "FR")).toEqual({ ok: false, reason: "invalid" }); // letters
    expect(normalizePhone("call 0612345678", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizePhone("ann@example.org", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizePhone("+", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizePhone("+33 0 00 00 00 00", "FR")).toEqual({ ok: false, reason: "invalid" }); // not a real range
    // A national number needs a known default country.
    expect(normalizePhone("06 12 34 56 78", "")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizePhone("06 12 34 56 78", "XX")).toEqual({ ok: false, reason: "invalid" });
  });

  it("empty input", () => {
    expect(normalizePhone("", "FR")).toEqual({ ok: false, reason: "empty" });
    expect(normalizePhone("   ", "FR")).toEqual({ ok: false, reason: "empty" });
    expect(normalizePhone(" - . ", "FR")).toEqual({ ok: false, reason: "empty" });
  });
});

describe("normalizeSender (a reply's sender, as the SMSC gave it)", () => {
  it("reads bare digits in the site's country first: national numbers without their trunk prefix", () => {
    expect(normalizeSender("3471234567", "IT")).toEqual({ ok: true, e164: "+393471234567" });
    expect(normalizeSender("2125550123", "US")).toEqual({ ok: true, e164: "+12125550123" });
    expect(normalizeSender("612345678", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizeSender("0612345678", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizeSender("140000000", "FR")).toEqual({ ok: true, e164: "+33140000000" }); // a landline may reply
  });

  it("else as an international number without its +, which also beats a national landline reading", () => {
    expect(normalizeSender("33612345678", "FR")).toEqual({ ok: true, e164: "+33612345678" });
    expect(normalizeSender("4915112345678", "IT")).toEqual({ ok: true, e164: "+4915112345678" });
    expect(normalizeSender("33612345678", "DE")).toEqual({ ok: true, e164: "+33612345678" }); // not +49 336 12345678
    expect(normalizeSender("33612345678", "AT")).toEqual({ ok: true, e164: "+33612345678" });
  });

  it("keeps a + as international, and reads nothing into short codes or names", () => {
    expect(normalizeSender("+3471234567", "IT")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizeSender("+2125550123", "US")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizeSender("36000", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizeSender("ORANGEINFO", "FR")).toEqual({ ok: false, reason: "invalid" });
    expect(normalizeSender("", "FR")).toEqual({ ok: false, reason: "empty" });
  });
});

describe("isPhoneLike", () => {
  it("tells phones from emails in a pasted list", () => {
    for (const s of ["+33 6 12 34 56 78", "06.12.34.56.78", "0033612345678", "0470 12 34 56", "(201) 555-0123".slice(1), " 0612345678 "])
      expect(isPhoneLike(s)).toBe(true);
    for (const s of ["ann@example.org", "", "+", "06 12 AB", "(201) 555-0123", "tel:0612345678"]) expect(isPhoneLike(s)).toBe(false);
  });
});

describe("formatPhone", () => {
  it("international human format", () => {
    expect(formatPhone("+33612345678")).toBe("+33 6 12 34 56 78");
    expect(formatPhone("+32470123456")).toBe("+32 470 12 34 56");
    expect(formatPhone("not a number")).toBe("not a number");
  });
});

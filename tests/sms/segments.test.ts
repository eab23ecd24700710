import { describe, expect, it } from "vitest";
import { firstNonGsm7, isGsm7, smsSegments, splitSms } from "@/lib/sms/segments";

const a = (n: number) => "a".repeat(n);
const lengths = (parts: string[]) => parts.map((p) => p.length);

describe("isGsm7", () => {
  it("accepts the whole basic table and the extension table", () => {
    const basic =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
      "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    expect(isGsm7(basic)).toBe(true);
    expect(isGsm7("^{}\\[~]|€\f")).toBe(true);
    expect(isGsm7("")).toBe(true);
  });

  it("rejects characters outside GSM 03.38", () => {
    // Lowercase ç, ê, â, œ are common in French but not in the table (only Ç, é, è are).
    for (const ch of ["ç", "ê", "â", "œ", "ł", "ж", "😀", "`", "\t", "’"]) expect(isGsm7(`a${ch}b`)).toBe(false);
  });
});

describe("smsSegments — GSM-7", () => {
  it("empty text is 0 segments", () => {
    expect(smsSegments("")).toEqual({ encoding: "GSM-7", units: 0, segments: 0, perSegment: 160, remaining: 160 });
    expect(splitSms("")).toEqual([]);
  });

  it("160 / 161 / 306 / 307 characters", () => {
    expect(smsSegments(a(1))).toEqual({ encoding: "GSM-7", units: 1, segments: 1, perSegment: 160, remaining: 159 });
    expect(smsSegments(a(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1, perSegment: 160, remaining: 0 });
    expect(smsSegments(a(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2, perSegment: 153, remaining: 145 });
    expect(smsSegments(a(306))).toEqual({ encoding: "GSM-7", units: 306, segments: 2, perSegment: 153, remaining: 0 });
    expect(smsSegments(a(307))).toEqual({ encoding: "GSM-7", units: 307, segments: 3, perSegment: 153, remaining: 152 });
    expect(lengths(splitSms(a(160)))).toEqual([160]);
    expect(lengths(splitSms(a(161)))).toEqual([153, 8]);
    expect(lengths(splitSms(a(307)))).toEqual([153, 153, 1]);
  });

  it("extension characters count 2 units", () => {
    expect(smsSegments("€")).toMatchObject({ encoding: "GSM-7", units: 2, segments: 1 });
    expect(smsSegments("{a}\f")).toMatchObject({ units: 7 }); // 2 + 1 + 2 + 2
    expect(smsSegments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1, perSegment: 160, remaining: 0 });
    expect(smsSegments("€".repeat(81))).toEqual({ encoding: "GSM-7", units: 162, segments: 2, perSegment: 153, remaining: 143 });
    expect(lengths(splitSms("€".repeat(81)))).toEqual([76, 5]); // 152 units, then 10: no room for a 77th €
  });

  it("never splits an escape from its character", () => {
    const text = `${a(152)}€${a(10)}`; // 164 units: concatenated; the € would straddle 153
    const parts = splitSms(text);
    expect(lengths(parts)).toEqual([152, 11]);
    expect(parts[1].startsWith("€")).toBe(true);
    expect(smsSegments(text)).toEqual({ encoding: "GSM-7", units: 164, segments: 2, perSegment: 153, remaining: 153 - 12 });
    // 151 plain + € fills segment 1 exactly (153 units).
    expect(lengths(splitSms(`${a(151)}€${a(10)}`))).toEqual([152, 10]);
  });

  it("the moved pair can add a segment that a plain count would miss", () => {
    // 152 + 2 + 152 = 306 units would be 2 segments, but the € moves and leaves 1 unit over.
    const text = `${a(152)}€${a(152)}`;
    expect(smsSegments(text)).toMatchObject({ units: 306, segments: 3, remaining: 152 });
    expect(lengths(splitSms(text))).toEqual([152, 152, 1]);
  });
});

describe("smsSegments — UCS-2", () => {
  const cyr = (n: number) => "ж".repeat(n);

  it("70 / 71 / 134 / 135 characters", () => {
    expect(smsSegments(cyr(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1, perSegment: 70, remaining: 0 });
    expect(smsSegments(cyr(71))).toEqual({ encoding: "UCS-2", units: 71, segments: 2, perSegment: 67, remaining: 63 });
    expect(smsSegments(cyr(134))).toEqual({ encoding: "UCS-2", units: 134, segments: 2, perSegment: 67, remaining: 0 });
    expect(smsSegments(cyr(135))).toEqual({ encoding: "UCS-2", units: 135, segments: 3, perSegment: 67, remaining: 66 });
    expect(lengths(splitSms(cyr(135)))).toEqual([67, 67, 1]);
  });

  it("one non-GSM character switches the whole text to UCS-2", () => {
    expect(smsSegments(a(100))).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(smsSegments(`${a(99)}ł`)).toEqual({ encoding: "UCS-2", units: 100, segments: 2, perSegment: 67, remaining: 34 });
    expect(smsSegments("Ça va")).toMatchObject({ encoding: "GSM-7" });
    expect(smsSegments("ça va")).toMatchObject({ encoding: "UCS-2" });
    // Extension characters cost 1 code unit once the text is UCS-2.
    expect(smsSegments("€ж")).toMatchObject({ encoding: "UCS-2", units: 2 });
  });

  it("an emoji counts 2 units and is never split across segments", () => {
    expect(smsSegments("😀")).toEqual({ encoding: "UCS-2", units: 2, segments: 1, perSegment: 70, remaining: 68 });
    expect(smsSegments("😀".repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(smsSegments("😀".repeat(36))).toMatchObject({ units: 72, segments: 2 });

    const text = `${a(66)}😀${a(10)}`; // 78 units; the emoji would straddle unit 67
    const parts = splitSms(text);
    expect(lengths(parts)).toEqual([66, 12]);
    expect(parts[1].startsWith("😀")).toBe(true);
    expect(smsSegments(text)).toMatchObject({ encoding: "UCS-2", units: 78, segments: 2, remaining: 67 - 12 });
    // No part ends on a lone high surrogate.
    for (const p of splitSms("x" + "😀".repeat(100))) expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false);
  });
});

describe("splitSms", () => {
  it("joins back to the original text, and each part fits its segment", () => {
    const texts = [
      a(5),
      a(500),
      "€".repeat(300),
      `${a(152)}€${a(152)}`,
      "Réunion demain à 18h {salle B} — merci ! 😀 ".repeat(12),
      "Привет, мир! ".repeat(20),
      `${a(66)}😀`.repeat(7),
    ];
    for (const text of texts) {
      const parts = splitSms(text);
      expect(parts.join("")).toBe(text);
      const count = smsSegments(text);
      expect(parts).toHaveLength(count.segments);
      for (const p of parts) expect(smsSegments(p).units).toBeLessThanOrEqual(count.perSegment);
    }
  });

  it("a single-segment text is one part", () => {
    expect(splitSms("Hello")).toEqual(["Hello"]);
  });
});

describe("firstNonGsm7", () => {
  it("names the character that makes an SMS UCS-2, whole even when it is an emoji", () => {
    expect(firstNonGsm7("Réunion à 18h, Ç€[]")).toBeNull(); // é, à, Ç in the basic table; € and [ ] in the extension
    expect(firstNonGsm7("Leçon ç")).toBe("ç"); // only the capital Ç is GSM
    expect(firstNonGsm7("Merci 👋 ô")).toBe("👋");
  });
});

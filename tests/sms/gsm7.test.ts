import smpp from "smpp";
import { describe, expect, it } from "vitest";
import { gsm7Bytes } from "@/lib/sms/gsm7";
import { GSM_BASIC_CHARS, GSM_EXTENSION_CHARS } from "@/lib/sms/segments";

// The SMPP transport encodes GSM-7 itself (lib/sms/gsm7.ts, for speed); the `smpp` package's
// encoder, which it replaced on the wire, is the reference for every octet.
const reference = (text: string): Buffer => smpp.encodings.ASCII.encode(text);

describe("GSM-7 octets for SMPP", () => {
  it("encodes every character of the basic table as the smpp package does, at its GSM 03.38 code", () => {
    for (const ch of GSM_BASIC_CHARS) expect([ch, [...gsm7Bytes(ch)]]).toEqual([ch, [...reference(ch)]]);
    expect([...gsm7Bytes("@")]).toEqual([0x00]);
    expect([...gsm7Bytes("Ξ")]).toEqual([0x1a]);
    expect([...gsm7Bytes("Æ")]).toEqual([0x1c]); // after the escape's 0x1B
    expect([...gsm7Bytes("à")]).toEqual([0x7f]);
  });

  it("encodes every extension character as the escape then its code", () => {
    for (const ch of GSM_EXTENSION_CHARS) expect([ch, [...gsm7Bytes(ch)]]).toEqual([ch, [...reference(ch)]]);
    expect([...gsm7Bytes("€")]).toEqual([0x1b, 0x65]);
    expect([...gsm7Bytes("\\")]).toEqual([0x1b, 0x2f]);
  });

  it("encodes whole messages byte for byte as the smpp package does", () => {
    const texts = [
      "Hello Reader 7, the meeting moves to 18:00 on Thursday. Reply STOP to opt out.",
      "Prix : 12 € {promo} [ok] ~ | ^ \\ fin\r\nA bientot ? Ça va ! ÉÉ ñ ü ß ¿¡ Øø Åå ΔΦΓΛΩΠΨΣΘΞ",
      "x".repeat(160),
      "€".repeat(80),
      "",
    ];
    for (const text of texts) expect(gsm7Bytes(text).equals(reference(text))).toBe(true);
  });

  it("writes a character the alphabet lacks as one space (the smpp package wrote 0x00, an @)", () => {
    // Never reached by the transport (a text with such a character goes as UCS-2), but a space
    // says less than an "@" would, should it ever be.
    expect([...gsm7Bytes("aôb")]).toEqual([0x61, 0x20, 0x62]);
    expect([...reference("ô")]).toEqual([0x00]);
  });
});

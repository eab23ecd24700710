import smpp from "smpp";
import { describe, expect, it } from "vitest";
import { gsm7Bytes, gsm7Text, GSM_BASIC_CHARS, GSM_EXTENSION_CHARS } from "@/lib/sms/gsm7";
import { inboundSms } from "@/lib/sms/smpp-deliver-sm";

// A deliver_sm as the `smpp` package reads it off the wire (it decodes short_message and
// message_payload itself), then as the transport reads its text. Over a real session:
// inbound-text.test.ts.
function heard(fields: Record<string, unknown>) {
  const octets = new smpp.PDU("deliver_sm", { source_addr: "33612345678", source_addr_ton: 1, destination_addr: "36000", ...fields }).toBuffer();
  const pdu = smpp.PDU.fromBuffer(octets);
  if (!pdu) throw new Error("PDU not read back");
  return inboundSms(pdu).text;
}
const ucs2 = (text: string) => Buffer.from(text, "utf16le").swap16();

describe("GSM-7 octets read back", () => {
  it("every character of both tables comes back from its code; à is 0x7F and Ç 0x09, not Latin-1", () => {
    const all = GSM_BASIC_CHARS + GSM_EXTENSION_CHARS;
    expect(gsm7Text(gsm7Bytes(all))).toBe(all);
    expect(gsm7Text(Buffer.from([0x09, 0x61, 0x20, 0x7f, 0x20, 0x1b, 0x65]))).toBe("Ça à €");
  });

  it("an escape before a code the extension table lacks shows the basic character, two escapes a space, an octet above 0x7F a replacement mark", () => {
    expect(gsm7Text(Buffer.from([0x41, 0x1b, 0x41, 0x42]))).toBe("AAB");
    expect(gsm7Text(Buffer.from([0x41, 0x1b, 0x1b, 0x42]))).toBe("A B");
    expect(gsm7Text(Buffer.from([0x41, 0x1b]))).toBe("A");
    expect(gsm7Text(Buffer.from([0x41, 0xe9]))).toBe("A\uFFFD");
  });
});

describe("the text of a deliver_sm, by its data_coding", () => {
  const french = "Très bien, merci ! Ça m’intéresse 🎉";
  it("0: GSM-7 with its extension table; 8: UCS-2; 3: Latin-1", () => {
    expect(heard({ data_coding: 0, short_message: gsm7Bytes("Ça va à 18h, 5 € {B} [x] ~ ^ | \\") })).toBe("Ça va à 18h, 5 € {B} [x] ~ ^ | \\");
    expect(heard({ data_coding: 8, short_message: ucs2(french) })).toBe(french);
    expect(heard({ data_coding: 3, short_message: Buffer.from("Très bien, ça à Ç", "latin1") })).toBe("Très bien, ça à Ç");
  });

  it("1: IA5, plain ASCII, whose @ $ _ { } the package read as GSM 03.38 (¡ ¤ § ä ñ)", () => {
    expect(heard({ data_coding: 1, short_message: Buffer.from("ana_b@example.org 12$ {ok} `x`", "latin1") })).toBe("ana_b@example.org 12$ {ok} `x`");
  });

  it("GSM 03.38 coding groups: message class (0xF0–0xF3 GSM-7), general group with a class (0x19 UCS-2, 0x12 GSM-7)", () => {
    for (const dc of [0xf0, 0xf1, 0xf2, 0xf3, 0x10, 0x12]) expect([dc, heard({ data_coding: dc, short_message: gsm7Bytes("Ça va à 18h €") })]).toEqual([dc, "Ça va à 18h €"]);
    for (const dc of [0x18, 0x19, 0x1a]) expect([dc, heard({ data_coding: dc, short_message: ucs2(french) })]).toEqual([dc, french]);
  });

  it("codings the package reads with a table that loses octets come through whole: UCS-2 under a GSM table (0xE0, 0xE1), GSM-7 of odd length under UCS-2 (0xC8, 0xD8)", () => {
    // Message waiting groups: 0xE0–0xEF are UCS-2, but the package reads 0xE0/0xE1 by their low
    // four bits with the GSM table, which turns every octet above 0x7F into a space; 0xC8/0xD8 are
    // GSM-7, read as UTF-16, which drops an odd last octet.
    for (const dc of [0xe0, 0xe1]) expect([dc, heard({ data_coding: dc, short_message: ucs2(french) })]).toEqual([dc, french]);
    for (const dc of [0xc8, 0xd8]) expect([dc, heard({ data_coding: dc, short_message: gsm7Bytes("Oui à 18h") })]).toEqual([dc, "Oui à 18h"]);
    expect(heard({ data_coding: 0xe0, esm_class: 0x40, short_message: { udh: Buffer.from([5, 0, 3, 9, 2, 1]), message: ucs2(french) } })).toBe(french);
    expect(heard({ data_coding: 0xc8, short_message: "", message_payload: gsm7Bytes("Oui") })).toBe("Oui");
    // Reserved coding groups are shown one character per octet, each octet kept.
    expect(heard({ data_coding: 0x80, short_message: Buffer.from([0x41, 0xe9]) })).toBe("Aé");
  });

  it("the text in message_payload, and a part behind its concatenation header, in either coding", () => {
    expect(heard({ data_coding: 8, short_message: "", message_payload: ucs2(french) })).toBe(french);
    const udh = Buffer.from([5, 0, 3, 9, 2, 1]);
    expect(heard({ data_coding: 8, esm_class: 0x40, short_message: { udh, message: ucs2(french) } })).toBe(french);
    expect(heard({ data_coding: 0, esm_class: 0x40, short_message: { udh, message: gsm7Bytes("à 18h €") } })).toBe("à 18h €");
    expect(heard({ data_coding: 0, esm_class: 0x40, short_message: "", message_payload: { udh, message: gsm7Bytes("à 18h €") } })).toBe("à 18h €");
  });

  it("a part read with a national shift table (UDH element 0x25) keeps the package's reading", () => {
    // Spanish single shift: ESC 0x09 is "ç".
    const udh = Buffer.from([3, 0x25, 1, 2]);
    expect(heard({ data_coding: 0, esm_class: 0x40, short_message: { udh, message: Buffer.from([0x1b, 0x09, 0x61]) } })).toBe("ça");
  });
});

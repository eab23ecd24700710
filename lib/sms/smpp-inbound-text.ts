import smpp from "smpp";
import { gsm7Text } from "./gsm7";

/**
 * The text of a deliver_sm's short_message or message_payload, read by its data_coding.
 *
 * The `smpp` package decodes these fields itself, and misreads some codings: it keys its tables
 * by data_coding's low four bits and reads 1 (IA5, plain ASCII) with the GSM 03.38 table, so
 * "a@b.fr" becomes "a¡b.fr" and "{ok}" "äokñ"; 0xF3 (GSM-7, message class 3) becomes Latin-1,
 * 0x19 (UCS-2, class 1) bytes. It hands over a string, not the octets: they are taken back here
 * with its own encoder for the table it used (its decodings give them back whole, for the 7-bit
 * octets of GSM-7 and IA5, for Latin-1 and for UTF-16), then read by what data_coding says.
 * Where its table loses octets (keepOctets below), it hands the octets over instead.
 */

type Alphabet = "gsm7" | "ascii" | "latin1" | "ucs2" | "octets";

/**
 * The alphabet `dataCoding` names: SMPP 3.4 §5.2.19 below 0x10; above, the coding groups of
 * 3GPP TS 23.038 §4 that SMSCs pass on from the handset (message class, waiting indication).
 * Octets of another coding (binary, JIS, Cyrillic…) are shown one character per octet.
 */
function alphabetOf(dataCoding: number): Alphabet {
  const dc = dataCoding & 0xff;
  if (dc < 0x10) return dc === 0 ? "gsm7" : dc === 1 ? "ascii" : dc === 3 ? "latin1" : dc === 8 ? "ucs2" : "octets";
  if (dc >= 0xf0) return dc & 0x04 ? "octets" : "gsm7"; // message class: bit 2 says 8-bit data
  if (dc >= 0xe0) return "ucs2"; // message waiting indication, UCS-2
  if (dc >= 0xc0) return "gsm7"; // message waiting indication, GSM-7
  if (dc >= 0x80 || dc & 0x20) return "octets"; // reserved groups, or compressed text
  return (["gsm7", "octets", "ucs2", "octets"] as const)[(dc >> 2) & 3]; // general groups: bits 3–2
}

/** Which of its tables the package decoded `dataCoding` with (see filters.message in smpp/lib/defs.js). */
function packageTable(dataCoding: number) {
  const low = dataCoding & 0x0f;
  return low === 0 || low === 1 ? smpp.encodings.ASCII : low === 3 ? smpp.encodings.LATIN1 : low === 8 ? smpp.encodings.UCS2 : null;
}

/**
 * Whether the package's reading of `dataCoding` loses octets, so that no encoder gives them back:
 * its GSM table turns each octet above 0x7F into a space (UCS-2 of the message waiting groups
 * 0xE0/0xE1, octets of a reserved or compressed coding with low bits 0 or 1), and its UTF-16 one
 * drops an odd last octet (GSM-7 of the message waiting groups 0xC8/0xD8, reserved 0x88…).
 */
function packageLoses(dataCoding: number): boolean {
  const table = packageTable(dataCoding);
  const alphabet = alphabetOf(dataCoding);
  if (table === smpp.encodings.ASCII) return alphabet !== "gsm7" && alphabet !== "ascii";
  return table === smpp.encodings.UCS2 && alphabet !== "ucs2";
}

/**
 * For those codings, a deliver_sm's text fields are left as octets (split from their header as
 * the package splits them), read by inboundText. The package decodes as it reads a PDU, before
 * any listener sees it, through its shared `filters.message`: wrapped here, once per copy of the
 * package (a Symbol.for mark, as each bundle may load this module again).
 */
const WRAPPED = Symbol.for("chora.smpp.inboundOctets");
function keepOctets() {
  const filter = smpp.filters.message as typeof smpp.filters.message & { [WRAPPED]?: true };
  if (filter[WRAPPED]) return;
  const decode = filter.decode;
  filter.decode = function (this: smpp.PDU, value: unknown, skipUdh?: boolean) {
    if (this.command !== "deliver_sm" || !Buffer.isBuffer(value) || !packageLoses(Number(this.data_coding))) return decode.call(this, value, skipUdh);
    // data_coding 0x04 (8-bit data) is one the package leaves as octets.
    return decode.call(Object.assign(Object.create(this) as smpp.PDU, { data_coding: 0x04 }), value, skipUdh);
  };
  filter[WRAPPED] = true;
}
keepOctets();

/** A national language shift table (UDH element 0x24 or 0x25): the package read the text with it, which the default table cannot undo. */
const nationalShift = (udh: unknown) => Array.isArray(udh) && udh.some((ie) => Buffer.isBuffer(ie) && (ie[0] === 0x24 || ie[0] === 0x25));

export function inboundText(dataCoding: number, field: unknown): string {
  const value = field && typeof field === "object" && "message" in field ? field.message : field;
  if (typeof value === "string" && field && typeof field === "object" && "udh" in field && nationalShift(field.udh)) return value;
  const table = packageTable(dataCoding);
  const octets = Buffer.isBuffer(value) ? value : typeof value === "string" && table ? table.encode(value) : null;
  if (!octets) return typeof value === "string" ? value : "";
  switch (alphabetOf(dataCoding)) {
    case "gsm7":
      return gsm7Text(octets);
    case "ucs2":
      // An odd octet at the end is half a character: dropped.
      return Buffer.from(octets.subarray(0, octets.length & ~1)).swap16().toString("utf16le");
    default:
      // IA5 is 7-bit ASCII, a subset of Latin-1.
      return octets.toString("latin1");
  }
}

// SMS segment counting. Operators bill per segment, not per message, so the compose screen
// shows the count as the user types, and the SMPP transport must cut a long text exactly as
// counted here (one UDH-concatenated part per segment) or the bill and the screen disagree.
//
// Rules (3GPP TS 23.038 / 23.040):
// - GSM-7: basic-table characters cost 1 septet; extension-table characters cost 2 (ESC + char).
//   160 septets fit in one SMS; concatenated parts carry a 6-byte UDH and hold 153.
// - Any character outside GSM-7 turns the whole message into UCS-2 (UTF-16 code units):
//   70 in one SMS, 67 per concatenated part.
// - A part never ends on a lone ESC or a lone high surrogate: the pair moves to the next part.

import { GSM7_EXTENDED, gsm7Code } from "./gsm7";

export type SmsEncoding = "GSM-7" | "UCS-2";

export type SmsCount = {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Capacity of each segment: 160 or 153 (GSM-7), 70 or 67 (UCS-2). */
  perSegment: number;
  /** Units still free in the last segment. */
  remaining: number;
};

// The GSM alphabet's tables live with its encoder (lib/sms/gsm7.ts); the strings are exported
// for SQL that must classify text as these functions do (lib/sms/segment-class.ts).
export { GSM_BASIC_CHARS, GSM_EXTENSION_CHARS } from "./gsm7";

const LIMITS = {
  "GSM-7": { single: 160, multi: 153 },
  "UCS-2": { single: 70, multi: 67 },
} as const;

/**
 * The longest SMS text a form takes: 1,600 characters, ten GSM-7 segments or more (operators
 * stop concatenating somewhere between 6 and 15 parts, and the bill grows with each).
 */
export const SMS_TEXT_MAX = 1600;

export function isGsm7(text: string): boolean {
  return firstNonGsm7(text) === null;
}

/** The first character that the GSM alphabet lacks (it makes the whole SMS UCS-2), or null. */
export function firstNonGsm7(text: string): string | null {
  // By UTF-16 unit through the encoder's table: every GSM character is one unit, and a surrogate
  // (the half of an emoji, say) is in no table, so the whole character is returned.
  for (let i = 0; i < text.length; i++) if (gsm7Code(text.charCodeAt(i)) < 0) return String.fromCodePoint(text.codePointAt(i)!);
  return null;
}

/** The text as indivisible pieces, each with its cost in units. */
function pieces(text: string, encoding: SmsEncoding): { ch: string; cost: number }[] {
  // for..of walks code points, so a surrogate pair stays one piece (cost 2 in UCS-2).
  return Array.from(text, (ch) => ({
    ch,
    cost: encoding === "UCS-2" ? ch.length : gsm7Code(ch.charCodeAt(0)) >= GSM7_EXTENDED ? 2 : 1,
  }));
}

/** Packs the text into parts as they would be sent; a single-segment text is one part. */
function pack(text: string) {
  const encoding: SmsEncoding = isGsm7(text) ? "GSM-7" : "UCS-2";
  // Counted without the pieces: most SMS fit in one part, and the SMPP transport packs every one.
  let units = text.length;
  if (encoding === "GSM-7") for (let i = 0; i < text.length; i++) if (gsm7Code(text.charCodeAt(i)) >= GSM7_EXTENDED) units++;
  const limits = LIMITS[encoding];
  if (units <= limits.single) {
    const parts = text === "" ? [] : [{ text, units }];
    return { encoding, units, perSegment: limits.single, parts };
  }
  const all = pieces(text, encoding);
  const parts: { text: string; units: number }[] = [];
  let current = { text: "", units: 0 };
  for (const p of all) {
    // A piece that does not fit whole starts the next part (never split ESC+char or surrogates).
    if (current.units + p.cost > limits.multi) {
      parts.push(current);
      current = { text: "", units: 0 };
    }
    current.text += p.ch;
    current.units += p.cost;
  }
  parts.push(current);
  return { encoding, units, perSegment: limits.multi, parts };
}

export function smsSegments(text: string): SmsCount {
  const { encoding, units, perSegment, parts } = pack(text);
  const last = parts.at(-1);
  return {
    encoding,
    units,
    segments: parts.length,
    perSegment,
    remaining: perSegment - (last?.units ?? 0),
  };
}

/** The parts an SMPP transport sends with a concatenation UDH, and their encoding; joined, the parts give the text back. */
export function smsParts(text: string): { encoding: SmsEncoding; parts: string[] } {
  const packed = pack(text);
  return { encoding: packed.encoding, parts: packed.parts.map((p) => p.text) };
}

export const splitSms = (text: string): string[] => smsParts(text).parts;

// GSM-7 text as SMPP carries it with data_coding 0: one septet per octet, unpacked (3GPP TS
// 23.038). The `smpp` package's own encoder does the same, but builds a regular expression and
// lists its table's keys on every call: ~18 µs per SMS, a tenth of the transport's CPU per SMS
// in bench/sms-drain.ts. Its output is the reference (tests/sms/gsm7.test.ts).

// GSM 03.38 basic table, in code order (0x1B, the escape, is left out: it is not a character).
export const GSM_BASIC_CHARS =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
// Extension table characters reachable through the escape (default, no national shift).
export const GSM_EXTENSION_CHARS = "\f^{}\\[~]|€";

const ESCAPE = 0x1b;
const SPACE = 0x20;
/** Extension table: reached by the escape 0x1B, then this code (same order as GSM_EXTENSION_CHARS). */
const EXTENSION_CODES = [0x0a, 0x14, 0x28, 0x29, 0x2f, 0x3c, 0x3d, 0x3e, 0x40, 0x65];

/**
 * Each UTF-16 code unit's GSM-7 code, indexed by the unit (the table's highest character, "€", is
 * U+20AC): 0–0x7F for the basic table, EXTENDED + code for the extension table, -1 for none.
 */
const EXTENDED = 0x100;
const CODES = (() => {
  const all = [...GSM_BASIC_CHARS, ...GSM_EXTENSION_CHARS];
  const table = new Int16Array(Math.max(...all.map((ch) => ch.charCodeAt(0))) + 1).fill(-1);
  // Basic table: code = position, the escape 0x1B (left out of GSM_BASIC_CHARS) shifting the rest by one.
  [...GSM_BASIC_CHARS].forEach((ch, i) => (table[ch.charCodeAt(0)] = i < ESCAPE ? i : i + 1));
  [...GSM_EXTENSION_CHARS].forEach((ch, i) => (table[ch.charCodeAt(0)] = EXTENDED + EXTENSION_CODES[i]));
  return table;
})();

/** The GSM-7 code of the UTF-16 unit `unit`: see CODES. */
export const gsm7Code = (unit: number): number => (unit < CODES.length ? CODES[unit] : -1);
export const GSM7_EXTENDED = EXTENDED;

/**
 * `text`'s GSM-7 octets. Only for text the GSM alphabet holds (smsParts chose GSM-7 for it): a
 * character it lacks becomes a space (the `smpp` package's encoder wrote 0x00, an "@"), one for
 * each UTF-16 unit.
 */
export function gsm7Bytes(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = gsm7Code(text.charCodeAt(i));
    if (code < 0) out[n++] = SPACE;
    else if (code < EXTENDED) out[n++] = code;
    else {
      out[n++] = ESCAPE;
      out[n++] = code - EXTENDED;
    }
  }
  return out.subarray(0, n);
}

/** Each code's character, the other way round: the basic table by code, and the extension table's after the escape. */
const BASIC_BY_CODE = (() => {
  const table: string[] = [];
  [...GSM_BASIC_CHARS].forEach((ch, i) => (table[i < ESCAPE ? i : i + 1] = ch));
  return table;
})();
const EXTENSION_BY_CODE = new Map(EXTENSION_CODES.map((code, i) => [code, GSM_EXTENSION_CHARS[i]]));
/** What stands for an octet that is no GSM-7 code (the 8th bit set): the text says something was there. */
const NOT_GSM7 = "\uFFFD";

/**
 * The text of GSM-7 octets as SMPP carries them with data_coding 0 (one septet per octet,
 * unpacked): the basic table, and the extension table after the escape 0x1B (ESC 0x65 is "€").
 * An escape before a code the extension table lacks shows that code's basic character, and two
 * escapes a space, as 3GPP TS 23.038 asks a handset to (§6.2.1.1).
 */
export function gsm7Text(octets: Uint8Array): string {
  let text = "";
  for (let i = 0; i < octets.length; i++) {
    const code = octets[i];
    if (code !== ESCAPE) {
      text += BASIC_BY_CODE[code] ?? NOT_GSM7;
      continue;
    }
    if (++i >= octets.length) break; // an escape that ends the text escapes nothing
    const next = octets[i];
    text += next === ESCAPE ? " " : (EXTENSION_BY_CODE.get(next) ?? BASIC_BY_CODE[next] ?? NOT_GSM7);
  }
  return text;
}

import smpp from "smpp";
import { gsm7Bytes } from "./gsm7";
import { smsParts } from "./segments";
import { SmsSendError, type SmsMessage } from "./transport";

/** The submit_sm PDUs of one SMS: its sender's TON/NPI, its encoding, and the parts of a long one. */

/**
 * The 8-bit concatenation references of one transport, one per long SMS. Random start: a
 * restart should not reuse the refs a handset may still be reassembling.
 */
export function concatenationRefs(): () => number {
  let ref = Math.floor(Math.random() * 256);
  return () => (ref = (ref + 1) & 0xff);
}

/**
 * The fields of each submit_sm for `sms`, in order: one for a short SMS, one per part (with its
 * UDH concatenation header) for a long one. `from` empty: `defaultSource` (the URL's `?source=`).
 * `nextRef` is asked once per long SMS.
 */
export function submitSmFields(sms: Pick<SmsMessage, "to" | "from" | "text">, defaultSource: string, nextRef: () => number): Record<string, unknown>[] {
  const { parts, encoding } = smsParts(sms.text);
  if (parts.length === 0) throw new SmsSendError("SMPP: empty message", false);
  const gsm = encoding === "GSM-7";
  // GSM-7 as data_coding 0 (SMSC default alphabet), one septet per octet as SMPP carries it;
  // anything else UCS-2. Encoded here as Buffers: given strings, the package would pick
  // IA5/Latin-1 codings by itself (data_coding 1 or 3), which handsets show as garbage.
  const encode = gsm ? gsm7Bytes : smpp.encodings.UCS2.encode;
  const source = sourceAddress(sms.from || defaultSource);
  const destination = sms.to.replace(/^\+/, "");
  const total = parts.length;
  if (total === 1) return [pduFields(source, destination, gsm, 0, encode(parts[0]))];
  // One reference for all the parts of this message, whatever other sends do meanwhile.
  const msgRef = nextRef();
  return parts.map((part, i) => pduFields(source, destination, gsm, 0x40, Buffer.concat([Buffer.from([5, 0, 3, msgRef, total, i + 1]), encode(part)])));
}

/**
 * One submit_sm's fields, a literal of fixed shape: spreading a shared base into each PDU's fields
 * cost more than the rest of submitSmFields (~7 µs per SMS, bench/sms-drain.ts).
 */
function pduFields(source: ReturnType<typeof sourceAddress>, destination: string, gsm: boolean, esmClass: number, shortMessage: Buffer) {
  return {
    source_addr: source.source_addr,
    source_addr_ton: source.source_addr_ton,
    source_addr_npi: source.source_addr_npi,
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: destination,
    registered_delivery: 1,
    data_coding: gsm ? 0 : 8,
    esm_class: esmClass,
    short_message: shortMessage,
  };
}

/**
 * TON/NPI for a source: `+E.164` (or 9+ digits without a trunk 0) → international/ISDN, a number
 * with its trunk 0 (an SMPP URL's `?source=0612…`) → national, short code → network-specific,
 * else alphanumeric.
 */
function sourceAddress(from: string) {
  if (!from) return { source_addr: "", source_addr_ton: 0, source_addr_npi: 0 }; // the SMSC's account default
  if (/^\+\d+$/.test(from) || /^[1-9]\d{8,}$/.test(from)) return { source_addr: from.replace(/^\+/, ""), source_addr_ton: 1, source_addr_npi: 1 };
  if (/^0\d+$/.test(from)) return { source_addr: from, source_addr_ton: 2, source_addr_npi: 1 };
  if (/^\d+$/.test(from)) return { source_addr: from, source_addr_ton: 3, source_addr_npi: 0 };
  return { source_addr: from, source_addr_ton: 5, source_addr_npi: 0 };
}

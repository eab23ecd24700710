import type smpp from "smpp";
import { inboundText } from "./smpp-inbound-text";

/** What a deliver_sm PDU says: a delivery receipt, or an SMS sent to us (one part of a long one, maybe). */

const MESSAGE_STATES = ["SCHEDULED", "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD", "SKIPPED"];
const FAILED_STATES = new Set(["UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN", "SKIPPED"]);
/** Control characters (NUL above all, which PostgreSQL text refuses) are not part of any id or text we keep. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Where one part of a long SMS sits in it (UDH concatenation or SAR TLVs). */
export type SmsPartInfo = { ref: number; total: number; seq: number };

/** A mobile-originated SMS as the transport hands it over (see inboundSms). */
export type InboundSms = { from: string; text: string; to: string; part?: SmsPartInfo };

/** A deliver_sm's esm_class says it is a delivery receipt (or an intermediate notification). */
export const isReceiptClass = (pdu: smpp.PDU) => (Number(pdu.esm_class) & 0x3c) === 0x04;
/** A deliver_sm's esm_class says it is a plain mobile-originated SMS. */
export const isInboundClass = (pdu: smpp.PDU) => (Number(pdu.esm_class) & 0x3c) === 0;

/** A delivery receipt's id and final state (null: not a receipt; state undefined: not final). */
export function parseReceipt(pdu: smpp.PDU): { id: string; delivered?: boolean; reason?: string } | null {
  const tlvId = typeof pdu.receipted_message_id === "string" ? pdu.receipted_message_id : "";
  if (!isReceiptClass(pdu) && !tlvId) return null;
  const text = messageText(pdu.short_message) || messageText(pdu.message_payload);
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, "i").exec(text)?.[1];
  const id = (tlvId || field("id") || "").replace(CONTROL, "");
  const stat = typeof pdu.message_state === "number" ? MESSAGE_STATES[pdu.message_state] : field("stat")?.toUpperCase();
  if (!id || !stat) return null;
  if (stat === "DELIVRD") return { id, delivered: true };
  if (!FAILED_STATES.has(stat)) return { id }; // ENROUTE, ACCEPTD, SCHEDULED: more to come
  const err = field("err");
  return { id, delivered: false, reason: err ? `${stat} err:${err}` : stat };
}

/**
 * A mobile-originated SMS's sender and text (read by its data_coding: smpp-inbound-text.ts). The sender is
 * +E.164 when the SMSC says international (TON 1); otherwise as sent. Without a type (TON 0),
 * "3471234567" may be an Italian number without its trunk prefix as well as a full one without
 * "+": only the site's country can tell, so normalizeSender (phone.ts) reads it there. The text
 * is in short_message, or in message_payload when the SMSC sends a long SMS whole. `part`: this
 * PDU is one part of a long SMS, to be joined with the others.
 */
export function inboundSms(pdu: smpp.PDU): InboundSms {
  const source = String(pdu.source_addr ?? "");
  const ton = Number(pdu.source_addr_ton);
  const international = /^\d+$/.test(source) && ton === 1;
  const from = (international ? `+${source}` : source).replace(CONTROL, "");
  const dataCoding = Number(pdu.data_coding);
  const text = (inboundText(dataCoding, pdu.short_message) || inboundText(dataCoding, pdu.message_payload)).replace(/\u0000/g, "");
  const part = partInfo(pdu);
  // `to`: the number (or short code) the person wrote to, which tells sites on one login apart.
  return { from, text, to: String(pdu.destination_addr ?? "").replace(CONTROL, ""), ...(part ? { part } : {}) };
}

/**
 * The concatenation header of a part: UDH element 0x00 (8-bit reference) or 0x08 (16-bit), or
 * the sar_* TLVs. Null for an SMS in one piece, or for a header that makes no sense.
 */
function partInfo(pdu: smpp.PDU): SmsPartInfo | null {
  const valid = (p: SmsPartInfo) => (p.total >= 2 && p.seq >= 1 && p.seq <= p.total ? p : null);
  if (typeof pdu.sar_total_segments === "number" && typeof pdu.sar_segment_seqnum === "number") {
    return valid({ ref: Number(pdu.sar_msg_ref_num ?? 0), total: pdu.sar_total_segments, seq: pdu.sar_segment_seqnum });
  }
  // The header comes with the text: in short_message, or in message_payload when the SMSC uses it.
  const udhOf = (v: unknown): unknown[] => (v && typeof v === "object" && "udh" in v && Array.isArray(v.udh) ? v.udh : []);
  for (const element of [...udhOf(pdu.short_message), ...udhOf(pdu.message_payload)]) {
    if (!Buffer.isBuffer(element)) continue;
    if (element[0] === 0x00 && element[1] === 3 && element.length >= 5) return valid({ ref: element[2], total: element[3], seq: element[4] });
    if (element[0] === 0x08 && element[1] === 4 && element.length >= 6) return valid({ ref: element.readUInt16BE(2), total: element[4], seq: element[5] });
  }
  return null;
}

function messageText(value: unknown): string {
  const m = value && typeof value === "object" && "message" in value ? value.message : value;
  return typeof m === "string" ? m : Buffer.isBuffer(m) ? m.toString("latin1") : "";
}

import type smpp from "smpp";
import { inboundSms, isInboundClass, parseReceipt, type InboundSms } from "./smpp-deliver-sm";
import type { SmsReceipt } from "./transport";

/** deliver_sm_resp for a receipt or reply we could not store: "temporary application error, try again". */
const ESME_RX_T_APPN = 0x64;
/** "Permanent application error": this PDU will never be stored; the SMSC should not offer it again. */
const ESME_RX_P_APPN = 0x65;

/**
 * An error that storing the same PDU again would meet again: PostgreSQL's data exceptions (class
 * 22: a value it cannot hold) and integrity violations (23). Anything else (connection lost,
 * timeout, serialization failure) may pass on the next try.
 */
function permanentStoreError(error: unknown): boolean {
  const code = error && typeof error === "object" && "code" in error ? String((error as { code: unknown }).code) : "";
  return /^2[23][0-9A-Z]{3}$/.test(code);
}

export type IncomingOptions = {
  onReceipt?: (r: SmsReceipt) => void | Promise<void>;
  onInbound?: (sms: InboundSms) => void | Promise<void>;
  log: (msg: string, extra?: unknown) => void;
  /** Whether a receipt's id, heard on `session`, is a later part sent on it lately (see laterParts). */
  isLaterPart: (session: smpp.Session, id: string) => boolean;
};

/**
 * What the SMSC sends us (a delivery receipt, or an SMS): handed to onReceipt or onInbound, and
 * answered once they have stored it.
 */
export function incomingHandler(options: IncomingOptions) {
  return async function deliver(session: smpp.Session, pdu: smpp.PDU) {
    let what = "delivery receipt not recorded";
    let status = 0;
    try {
      const receipt = parseReceipt(pdu);
      if (!receipt) {
        what = "inbound SMS not handled";
        if (isInboundClass(pdu)) await options.onInbound?.(inboundSms(pdu));
        return;
      }
      if (receipt.delivered === undefined) return;
      if (options.isLaterPart(session, receipt.id)) {
        // A later part delivered says nothing the first part's receipt does not (and many SMSCs
        // send none): dropped here. A later part not delivered means the phone shows the message
        // cut short: reported, and the queue finds the part by the ids kept with its row
        // (lib/queue/receipts.ts). A part this session was not given (another process, an earlier
        // session, before a restart), or given long ago, goes there too, and is recognised there.
        if (receipt.delivered) return;
      }
      await options.onReceipt?.({ providerMessageId: receipt.id, delivered: receipt.delivered, ...(receipt.reason ? { reason: receipt.reason } : {}) });
    } catch (error) {
      options.log(what, error);
      // Not stored (the database briefly down…): a temporary error makes the SMSC deliver it
      // again later, where an OK would have it drop a STOP or a receipt for good. The handlers
      // are idempotent: a receipt or reply (or a part of a long one) stored twice counts once.
      // A PDU the database refuses as such would be refused at every try: answered permanent.
      status = permanentStoreError(error) ? ESME_RX_P_APPN : ESME_RX_T_APPN;
    } finally {
      // Answered only once onReceipt/onInbound has returned, so a crash before means the SMSC
      // sends it again rather than losing it.
      session.send(pdu.response(status ? { command_status: status } : {}));
    }
  };
}

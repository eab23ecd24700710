import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { outboxDir } from "@/lib/mail/transport";

/** One SMS as a transport sends it: the text already personalised, the number in E.164. */
export type SmsMessage = {
  /** Destination, E.164 (`+33612345678`). */
  to: string;
  /** Source address: an E.164 number or an alphanumeric sender of at most 11 characters. */
  from: string;
  text: string;
  siteId: number;
  queueId: number;
};
/**
 * `partIds`: a long SMS's later parts, as the SMSC numbered them, in order (a later part's failed
 * receipt ends the message in error, naming the part; its DELIVRD changes nothing).
 * `account`: the account that numbered them (smsAccount), kept with the row so that only receipts
 * heard on that account apply to it: an SMSC's ids are unique only within it.
 */
export type SmsSendResult = { providerMessageId: string; partIds?: string[]; account?: string };

/** A delivery receipt as a transport hears it (SMPP deliver_sm, Twilio status callback). */
export type SmsReceipt = { providerMessageId: string; delivered: boolean; reason?: string };

/**
 * Every SMS transport (SMPP, Twilio, the embedded outbox) behind one interface, so the queue's
 * runners send both channels with the same leases, retries and history.
 */
export interface SmsTransport {
  kind: "smpp" | "twilio" | "outbox";
  send(sms: SmsMessage): Promise<SmsSendResult>;
  /**
   * Keeps a session open to hear delivery receipts and replies even when nothing is being sent
   * (SMPP: an SMSC passes them only to a bound session). Transports told by callbacks (Twilio)
   * or that send nowhere (outbox) have nothing to do.
   */
  listen?(): void;
  close(): Promise<void> | void;
}

// Next compiles the instrumentation (scheduler, listener) and the routes into separate bundles,
// each with its own copy of this module, while SMPP sessions are shared on globalThis
// (resolve.ts): an error from a session another bundle opened is no `instanceof` this copy's
// class. A process-wide symbol marks it whichever copy made it.
const SMS_SEND_ERROR = Symbol.for("chora.SmsSendError");

/**
 * A failed send, classified by the transport, which alone knows its protocol's codes: throttling
 * and temporary errors are transient (retried with backoff), an invalid destination is not.
 */
export class SmsSendError extends Error {
  readonly [SMS_SEND_ERROR] = true;
  constructor(
    message: string,
    readonly transient: boolean,
    readonly code?: string | number,
  ) {
    super(message);
    this.name = "SmsSendError";
  }
}

/** An SmsSendError from any bundle's copy of this module (see SMS_SEND_ERROR). */
export const isSmsSendError = (error: unknown): error is SmsSendError =>
  typeof error === "object" && error !== null && (error as { [SMS_SEND_ERROR]?: boolean })[SMS_SEND_ERROR] === true;

/** Embedded default: each SMS becomes a small text file beside the .eml files, shown by the queue screen. */
export function outboxSmsTransport(dir = outboxDir()): SmsTransport {
  return {
    kind: "outbox",
    async send(sms) {
      const folder = path.join(dir, String(sms.siteId));
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `${sms.queueId}.sms.txt`), `From: ${sms.from}\nTo: ${sms.to}\n\n${sms.text}`);
      return { providerMessageId: `outbox-sms-${sms.queueId}` };
    },
    close() {},
  };
}

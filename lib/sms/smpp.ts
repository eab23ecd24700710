import { incomingHandler } from "./smpp-incoming";
import type { InboundSms } from "./smpp-deliver-sm";
import { pacerFor } from "./smpp-pacer";
import { laterParts } from "./smpp-part-ids";
import { smppSession } from "./smpp-session";
import { concatenationRefs, submitSmFields } from "./smpp-submit-sm";
import { submitWindow } from "./smpp-window";
import { parseSmppUrl } from "./url";
import type { SmsReceipt, SmsSendResult, SmsTransport } from "./transport";
export { parseSmppUrl };
export type { SmsPartInfo } from "./smpp-deliver-sm";

/**
 * SMPP 3.4/5.0 client: one transceiver session per transport, so submits and delivery receipts
 * share a connection (many SMSCs only send receipts to a bound receiver/transceiver).
 * URL: `smpp://system_id:password@host:2775?source=Sender` (`smpps://` for TLS, port 3550).
 *
 * Its parts: the session (bind, keep-alive, reconnect with backoff: smpp-session.ts), the submit
 * window with its throttle pauses (smpp-window.ts) and pace (smpp-pacer.ts), the submit_sm of an
 * SMS (encoding, concatenation: smpp-submit-sm.ts), and what the SMSC sends back (receipts and
 * replies: smpp-incoming.ts, read by smpp-deliver-sm.ts).
 */
export type SmppOptions = {
  onReceipt?: (r: SmsReceipt) => void | Promise<void>;
  /** An SMS sent to us (a reply: "STOP"…), not a receipt; `from` is +E.164 when the SMSC says international (TON 1). */
  onInbound?: (sms: InboundSms) => void | Promise<void>;
  /** Most submit_sm awaiting their response at once (the SMSC's window); default 10. */
  window?: number;
  /** Connect + bind must finish within this; default 10 s. */
  connectTimeoutMs?: number;
  /** enquire_link every this many ms keeps the session (and NAT/firewall state) alive; 3 unanswered drop it. Default 30 s. */
  enquireLinkMs?: number;
  /** A submit_sm unanswered this long means a wedged session: it is dropped; default 30 s. */
  responseTimeoutMs?: number;
  /**
   * An SMSC that says "throttled" (or "queue full") is asking for a slower pace: submits pause for
   * `firstPauseMs`, doubling while it keeps saying so up to `maxPauseMs`, and the refused part is
   * submitted again. After `patienceMs` of this for one message, the send fails (transient) and
   * the queue's own backoff takes over. Defaults: 250 ms, 8 s, 30 s.
   */
  throttle?: { firstPauseMs?: number; maxPauseMs?: number; patienceMs?: number };
  log?: (msg: string, extra?: unknown) => void;
};

export function smppTransport(url: string, options: SmppOptions = {}): SmsTransport {
  const cfg = parseSmppUrl(url);
  const log = options.log ?? ((msg: string, extra?: unknown) => console.warn(`[smpp] ${msg}`, extra ?? ""));
  const patienceMs = options.throttle?.patienceMs ?? 30_000;
  const parts = laterParts();
  const nextRef = concatenationRefs();

  const deliver = incomingHandler({ onReceipt: options.onReceipt, onInbound: options.onInbound, log, isLaterPart: parts.take });
  const session = smppSession(cfg, {
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    enquireLinkMs: options.enquireLinkMs ?? 30_000,
    log,
    onDeliver: (s, pdu) => void deliver(s, pdu),
  });

  // Pacing (`?tps=`): one pacer per account in this process, shared by every session on it
  // (sites on one login with different senders or settings), at the slowest rate any of them gives.
  const pacer = cfg.tps ? pacerFor(`${cfg.systemId}@${cfg.host.toLowerCase()}:${cfg.port}`, cfg.tps) : null;
  const { submitPaced } = submitWindow({
    window: Math.max(1, options.window ?? 10),
    responseTimeoutMs: options.responseTimeoutMs ?? 30_000,
    firstPauseMs: options.throttle?.firstPauseMs ?? 250,
    maxPauseMs: options.throttle?.maxPauseMs ?? 8_000,
    pacer,
    connection: session.connection,
    where: session.where,
  });

  return {
    kind: "smpp",
    async send(sms): Promise<SmsSendResult> {
      const pdus = submitSmFields(sms, cfg.source, nextRef);
      let firstId: string | null = null;
      const partIds: string[] = [];
      const deadline = Date.now() + patienceMs;
      // Parts go one after the other, in order (some SMSCs reassemble only in order). If a later
      // part fails, the whole message is retried: the handset may show a stray first part.
      for (const fields of pdus) {
        const first: string | null = firstId;
        const id = await submitPaced(
          fields,
          (partId, on) => parts.accepted(on, partId, first !== null),
          // Once the first part is out, giving up would make the retry send it twice: later
          // parts wait out a longer throttle (the lease still bounds the whole send).
          first === null ? deadline : deadline + 3 * patienceMs,
        );
        if (firstId === null) firstId = id;
        else partIds.push(id);
      }
      return partIds.length ? { providerMessageId: firstId!, partIds } : { providerMessageId: firstId! };
    },
    listen: () => session.listen(),
    async close() {
      pacer?.release();
      await session.close();
    },
  };
}

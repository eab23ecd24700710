import type { AddressInfo } from "node:net";
import smpp from "smpp";

/**
 * A real SMSC on loopback (the `smpp` package's server side) for the SMPP transport's tests:
 * it accepts bind_transceiver with one system_id/password, records every submit_sm it accepts
 * (text decoded by data_coding, concatenation UDH split off), answers with increasing message
 * ids, sends delivery receipts like a real SMSC (text format plus TLVs), and can be told to
 * refuse submits, answer slowly or drop every session.
 */
export type SmscSubmit = {
  source: string;
  sourceTon: number;
  destination: string;
  dataCoding: number;
  esmClass: number;
  /** The user data header as sent (UDHL byte included), or null. */
  udh: Buffer | null;
  text: string;
  messageId: string;
  registeredDelivery: number;
  /** performance.now() when the submit_sm arrived (this process's clock). */
  arrivedAt: number;
};
export type ReceiptStat = "DELIVRD" | "UNDELIV" | "EXPIRED" | "REJECTD" | "DELETED" | "UNKNOWN";

export type SmscHarness = {
  readonly port: number;
  url(params?: { systemId?: string; password?: string; source?: string; scheme?: string; tps?: number }): string;
  readonly submits: SmscSubmit[];
  readonly binds: number;
  readonly unbinds: number;
  /** submit_sm received and not yet answered: now, and the most ever seen at once. */
  readonly outstanding: number;
  readonly maxOutstanding: number;
  /** deliver_sm the client has acknowledged (deliver_sm_resp with status 0). */
  readonly receiptsAcked: number;
  /** Open sessions (bound or not). */
  readonly sessions: number;
  /** Answer the next `count` submit_sm with `status` (nothing recorded). */
  failNext(status: number, count?: number): void;
  /** Close every session right after acknowledging the n-th further submit_sm. */
  dropAfter(n: number): void;
  /**
   * Right after acknowledging the n-th further submit_sm, write on that session a PDU the
   * client's parser refuses (longer than the smpp package's 16 KiB), then carry on as before.
   */
  garbleAfter(n: number): void;
  /** Answer every submit_sm with ESME_RTHROTTLED for the next `ms` milliseconds, as a rate-limited account would. */
  throttleFor(ms: number): void;
  /** submit_sm answered ESME_RTHROTTLED by throttleFor. */
  readonly throttled: number;
  /** enquire_link received (keep-alives). */
  readonly enquireLinks: number;
  /** Stop answering enquire_link, as a peer gone half-open would (the socket stays open). */
  goSilent(): void;
  /** Closes every session now, as an SMSC restarting or a network cut would. */
  dropNow(): void;
  /**
   * Closes every session and numbers message ids from the start again, as an SMSC that restarts
   * its numbering does: the next submits get ids that earlier messages had.
   */
  restart(): void;
  /** Sends a receipt for `messageId` on a bound session (waits for one); resolves with its deliver_sm_resp's status. */
  sendReceipt(messageId: string, stat: ReceiptStat, err?: string, opts?: { tlvs?: boolean }): Promise<number>;
  /**
   * A mobile-originated SMS from `from` (digits, international) on a bound session; resolves with
   * its deliver_sm_resp's status. Coded as a real SMSC codes a handset's text (GSM-7 when the
   * alphabet holds it, else UCS-2) unless `coding` says otherwise. `udh`: one part of a long SMS,
   * with a concatenation header (8-bit reference, or 16-bit with `ref16`); `sar`: the same told in
   * sar_* TLVs; `payload`: the text in message_payload.
   */
  sendInbound(from: string, text: string, opts?: InboundOptions): Promise<number>;
  close(): Promise<void>;
};

/** message_state values (SMPP 3.4 §5.2.28). */
const STATE: Record<ReceiptStat, number> = { DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, UNKNOWN: 7, REJECTD: 8 };

const smppDate = (d: Date) =>
  [d.getUTCFullYear() % 100, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()].map((n) => String(n).padStart(2, "0")).join("");

export async function startSmsc(
  options: { receipts?: "auto" | "none"; receiptDelayMs?: number; responseDelayMs?: number; systemId?: string; password?: string } = {},
): Promise<SmscHarness> {
  const systemId = options.systemId ?? "chora";
  const password = options.password ?? "secret";
  const submits: SmscSubmit[] = [];
  const bound = new Set<smpp.Session>();
  const waitingReceipts: ((s: smpp.Session) => void)[] = [];
  let binds = 0;
  let unbinds = 0;
  let outstanding = 0;
  let maxOutstanding = 0;
  let receiptsAcked = 0;
  let lastId = 0;
  // Ids unique across harnesses, like a real SMSC's: receipts from one test never match another's rows.
  const idPrefix = `msg${Math.random().toString(36).slice(2, 7)}-`;
  let fail = { status: 0, count: 0 };
  let dropIn = 0;
  let garbleIn = 0;
  let enquireLinks = 0;
  let throttleUntil = 0;
  let throttled = 0;
  let silent = false;

  const onBound = (session: smpp.Session) => {
    for (const deliver of waitingReceipts.splice(0)) deliver(session);
  };

  const dropAll = () => {
    for (const s of server.sessions) s.close();
  };

  const receipt = (submit: Pick<SmscSubmit, "messageId" | "source" | "destination" | "text">, stat: ReceiptStat, err: string, tlvs: boolean) =>
    new Promise<number>((resolve) => {
      const now = smppDate(new Date());
      const text = `id:${submit.messageId} sub:001 dlvrd:${stat === "DELIVRD" ? "001" : "000"} submit date:${now} done date:${now} stat:${stat} err:${err} text:${submit.text.slice(0, 20)}`;
      const deliver = (session: smpp.Session) =>
        session.deliver_sm(
          {
            source_addr_ton: 1,
            source_addr_npi: 1,
            source_addr: submit.destination,
            destination_addr: submit.source,
            esm_class: 0x04,
            data_coding: 0,
            short_message: text,
            ...(tlvs ? { receipted_message_id: submit.messageId, message_state: STATE[stat] } : {}),
          },
          (resp: smpp.PDU) => {
            if (resp.command_status === 0) receiptsAcked++;
            resolve(resp.command_status);
          },
        );
      const session = [...bound].find((s) => s.socket.writable);
      if (session) deliver(session);
      else waitingReceipts.push(deliver); // stored until the client binds again, like an SMSC
    });

  const server = smpp.createServer((session) => {
    session.on("error", () => {}); // a client reset is not a test failure
    session.on("close", () => bound.delete(session));
    session.on("bind_transceiver", (pdu: smpp.PDU) => {
      const status = pdu.system_id !== systemId ? smpp.errors.ESME_RINVSYSID : pdu.password !== password ? smpp.errors.ESME_RINVPASWD : 0;
      session.send(pdu.response(status ? { command_status: status } : { system_id: "chora-smsc" }));
      if (status) return session.close();
      binds++;
      bound.add(session);
      onBound(session);
    });
    session.on("enquire_link", (pdu: smpp.PDU) => {
      enquireLinks++;
      if (!silent) session.send(pdu.response());
    });
    session.on("unbind", (pdu: smpp.PDU) => {
      unbinds++;
      bound.delete(session);
      session.send(pdu.response());
      session.close();
    });
    session.on("deliver_sm_resp", () => {});
    session.on("submit_sm", (pdu: smpp.PDU) => {
      if (!session.socket.writable) return; // arrived after a drop: never answered
      const arrivedAt = performance.now();
      outstanding++;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      const answer = () => {
        outstanding--;
        if (!session.socket.writable) return;
        if (fail.count > 0) {
          fail.count--;
          return session.send(pdu.response({ command_status: fail.status }));
        }
        if (Date.now() < throttleUntil) {
          throttled++;
          return session.send(pdu.response({ command_status: 0x58 })); // ESME_RTHROTTLED
        }
        const sm = pdu.short_message as { udh?: Buffer[]; message: string | Buffer };
        const udh = sm.udh?.length ? Buffer.concat([Buffer.from([sm.udh.reduce((n, ie) => n + ie.length, 0)]), ...sm.udh]) : null;
        const submit: SmscSubmit = {
          source: String(pdu.source_addr),
          sourceTon: Number(pdu.source_addr_ton),
          destination: String(pdu.destination_addr),
          dataCoding: Number(pdu.data_coding),
          esmClass: Number(pdu.esm_class),
          udh,
          // The package decodes by data_coding: 0 → GSM 03.38, 8 → UTF-16BE.
          text: typeof sm.message === "string" ? sm.message : sm.message.toString("latin1"),
          messageId: `${idPrefix}${++lastId}`,
          registeredDelivery: Number(pdu.registered_delivery),
          arrivedAt,
        };
        submits.push(submit);
        session.send(pdu.response({ message_id: submit.messageId }));
        if (dropIn > 0 && --dropIn === 0) dropAll();
        if (garbleIn > 0 && --garbleIn === 0) session.socket.write(unparsablePdu());
        if (options.receipts === "auto" && submit.registeredDelivery & 1) {
          setTimeout(() => void receipt(submit, "DELIVRD", "000", true), options.receiptDelayMs ?? 0);
        }
      };
      if (options.responseDelayMs) setTimeout(answer, options.responseDelayMs);
      else answer();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: (params = {}) =>
      `${params.scheme ?? "smpp"}://${encodeURIComponent(params.systemId ?? systemId)}:${encodeURIComponent(params.password ?? password)}@127.0.0.1:${port}` +
      (params.source || params.tps ? `?${[params.source && `source=${encodeURIComponent(params.source)}`, params.tps && `tps=${params.tps}`].filter(Boolean).join("&")}` : ""),
    submits,
    get binds() {
      return binds;
    },
    get unbinds() {
      return unbinds;
    },
    get outstanding() {
      return outstanding;
    },
    get maxOutstanding() {
      return maxOutstanding;
    },
    get receiptsAcked() {
      return receiptsAcked;
    },
    get sessions() {
      return server.sessions.length;
    },
    failNext(status, count = 1) {
      fail = { status, count };
    },
    dropAfter(n) {
      dropIn = n;
    },
    garbleAfter(n) {
      garbleIn = n;
    },
    dropNow() {
      dropAll();
    },
    restart() {
      lastId = 0;
      dropAll();
    },
    throttleFor(ms) {
      throttleUntil = Date.now() + ms;
    },
    get throttled() {
      return throttled;
    },
    get enquireLinks() {
      return enquireLinks;
    },
    goSilent() {
      silent = true;
    },
    sendReceipt(messageId, stat, err = stat === "DELIVRD" ? "000" : "034", opts = {}) {
      // The latest submit with that id: after a restart, the new message's.
      const submit = submits.findLast((s) => s.messageId === messageId) ?? { messageId, source: "", destination: "", text: "" };
      return receipt(submit, stat, err, opts.tlvs ?? true);
    },
    sendInbound(from, text, opts = {}) {
      return new Promise<number>((resolve) => {
        const deliver = (session: smpp.Session) =>
          session.deliver_sm(
            {
              source_addr_ton: opts.ton ?? 1,
              source_addr_npi: 1,
              source_addr: from.replace(/^\+/, ""),
              destination_addr: opts.to ?? "36000",
              ...inboundBody(text, opts),
            },
            (resp: smpp.PDU) => resolve(resp.command_status),
          );
        const session = [...bound].find((s) => s.socket.writable);
        if (session) deliver(session);
        else waitingReceipts.push(deliver);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of server.sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A deliver_sm header claiming 70,000 bytes: the smpp package throws on it and stops reading that socket. */
function unparsablePdu() {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(70_000, 0);
  header.writeUInt32BE(0x00000005, 4);
  return header;
}

/** The codings a test may ask an inbound SMS to come in (data_coding 0, 1, 3, 8). */
export type InboundCoding = "gsm7" | "ia5" | "latin1" | "ucs2";

type InboundOptions = {
  /** As a real SMSC sends a handset's text when not given: GSM-7 if every character is in its alphabet, else UCS-2. */
  coding?: InboundCoding;
  ton?: number;
  to?: string;
  udh?: { ref: number; total: number; seq: number; ref16?: boolean };
  sar?: { ref: number; total: number; seq: number };
  payload?: boolean;
};

const DATA_CODING: Record<InboundCoding, number> = { gsm7: 0, ia5: 1, latin1: 3, ucs2: 8 };

/**
 * `text` as the SMSC puts it on the wire, with the `smpp` package's encoders (not chora's):
 * GSM 03.38 one septet per octet (the extension table behind ESC), 7-bit ASCII, Latin-1, or
 * UTF-16 big-endian. A character the coding lacks is the test's mistake, not a "?" on the wire.
 */
function inboundOctets(text: string, coding: InboundCoding): Buffer {
  const fits = { gsm7: smpp.encodings.ASCII.match(text), ia5: /^[\x00-\x7f]*$/.test(text), latin1: /^[\x00-\xff]*$/.test(text), ucs2: true }[coding];
  if (!fits) throw new Error(`smsc harness: ${JSON.stringify(text)} has characters ${coding} lacks`);
  if (coding === "gsm7") return smpp.encodings.ASCII.encode(text);
  if (coding === "ucs2") return smpp.encodings.UCS2.encode(text);
  return Buffer.from(text, "latin1");
}

/** esm_class, data_coding and the text (short_message or message_payload) of a mobile-originated SMS. */
function inboundBody(text: string, opts: InboundOptions) {
  // Octets with their data_coding, as a real SMSC sends: given a string, the package would write
  // GSM 03.38 for data_coding 0 whatever the text holds ("’" and "ê" became "@").
  const coding = opts.coding ?? (smpp.encodings.ASCII.match(text) ? "gsm7" : "ucs2");
  const body = inboundOctets(text, coding);
  const data_coding = DATA_CODING[coding];
  const u = opts.udh;
  const udh = u ? (u.ref16 ? Buffer.from([6, 8, 4, u.ref >> 8, u.ref & 0xff, u.total, u.seq]) : Buffer.from([5, 0, 3, u.ref, u.total, u.seq])) : null;
  // With a header the package writes it before the text; esm_class says it is there.
  const message = udh ? { udh, message: body } : body;
  const esm_class = udh ? 0x40 : 0;
  if (opts.payload) return { esm_class, data_coding, short_message: "", message_payload: message };
  if (opts.sar) return { esm_class, data_coding, short_message: message, sar_msg_ref_num: opts.sar.ref, sar_total_segments: opts.sar.total, sar_segment_seqnum: opts.sar.seq };
  return { esm_class, data_coding, short_message: message };
}

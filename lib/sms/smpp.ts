import smpp from "smpp";
import { smsParts } from "./segments";
import { parseSmppUrl } from "./url";
export { parseSmppUrl };
import { SmsSendError, type SmsReceipt, type SmsSendResult, type SmsTransport } from "./transport";

/**
 * SMPP 3.4/5.0 client: one transceiver session per transport, so submits and delivery receipts
 * share a connection (many SMSCs only send receipts to a bound receiver/transceiver).
 * URL: `smpp://system_id:password@host:2775?source=Sender` (`smpps://` for TLS, port 3550).
 */
export type SmppOptions = {
  onReceipt?: (r: SmsReceipt) => void | Promise<void>;
  /** An SMS sent to us (a reply: "STOP"…), not a receipt; `from` is +E.164 when the SMSC says international (TON 1). */
  onInbound?: (sms: { from: string; text: string; to: string; part?: SmsPartInfo }) => void | Promise<void>;
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

type Pending = { reject: (error: SmsSendError) => void };
type Conn = { session: smpp.Session; pending: Set<Pending>; lastHeard: number; corked: boolean; boundAt: number };

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A listening transport binds again this long after its session dropped. */
const RELISTEN_AFTER_DROP_MS = 1_000;
/** A session that ends sooner than this after its bind counts as a failed attempt (backoff grows). */
const STABLE_SESSION_MS = 10_000;
/** A listener whose bind the SMSC refuses (system_id or password) tries again this rarely. */
const BIND_REFUSED_RETRY_MS = 10 * 60_000;
const BIND_REFUSED = new Set([0x0d /* RBINDFAIL */, 0x0e /* RINVPASWD */, 0x0f /* RINVSYSID */]);
/** Ids of second and later parts of long messages, kept to recognise (and drop) their DELIVRD receipts. */
const MAX_PART_IDS = 10_000;
// Congestion and temporary faults: worth retrying later. Vendor codes (≥ 0x400) are mostly
// operator-side trouble too; an invalid destination or length will fail the same way every time.
// A refused sender (source address, TON, NPI) is the site's SMS settings, not the recipient's:
// transient, as Twilio's From errors are (twilio.ts), so the send goes out once they are mended
// rather than failing every row for good. A session the SMSC thinks unbound (RINVBNDSTS) is
// cured by the reconnect.
const TRANSIENT = new Set([
  0x58 /* RTHROTTLED */, 0x14 /* RMSGQFUL */, 0x08 /* RSYSERR */, 0x64 /* RX_T_APPN */,
  0x0a /* RINVSRCADR */, 0x48 /* RINVSRCTON */, 0x49 /* RINVSRCNPI */, 0x04 /* RINVBNDSTS */,
]);
/** deliver_sm_resp for a receipt or reply we could not store: "temporary application error, try again". */
const ESME_RX_T_APPN = 0x64;
/** "Permanent application error": this PDU will never be stored; the SMSC should not offer it again. */
const ESME_RX_P_APPN = 0x65;
/** Control characters (NUL above all, which PostgreSQL text refuses) are not part of any id or text we keep. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * An error that storing the same PDU again would meet again: PostgreSQL's data exceptions (class
 * 22: a value it cannot hold) and integrity violations (23). Anything else (connection lost,
 * timeout, serialization failure) may pass on the next try.
 */
function permanentStoreError(error: unknown): boolean {
  const code = error && typeof error === "object" && "code" in error ? String((error as { code: unknown }).code) : "";
  return /^2[23][0-9A-Z]{3}$/.test(code);
}
/** "Slow down": answered by pausing and submitting again, not by failing the message. */
const SLOW_DOWN = new Set([0x58 /* RTHROTTLED */, 0x14 /* RMSGQFUL */]);
const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, code]) => [code, name]));
const MESSAGE_STATES = ["SCHEDULED", "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD", "SKIPPED"];
const FAILED_STATES = new Set(["UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN", "SKIPPED"]);

const hex = (code: number) => `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
const describeStatus = (code: number) => `${STATUS_NAMES.get(code) ?? "unknown status"} (${hex(code)})`;
const isTransientStatus = (code: number) => TRANSIENT.has(code) || code >= 0x400;


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

/** A delivery receipt's id and final state (null: not a receipt; state undefined: not final). */
function parseReceipt(pdu: smpp.PDU): { id: string; delivered?: boolean; reason?: string } | null {
  const tlvId = typeof pdu.receipted_message_id === "string" ? pdu.receipted_message_id : "";
  if ((Number(pdu.esm_class) & 0x3c) !== 0x04 && !tlvId) return null;
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

/** Where one part of a long SMS sits in it (UDH concatenation or SAR TLVs). */
export type SmsPartInfo = { ref: number; total: number; seq: number };

/**
 * A mobile-originated SMS's sender and text (UCS-2 when data_coding says so). The sender is
 * +E.164 when the SMSC says international (TON 1); otherwise as sent. Without a type (TON 0),
 * "3471234567" may be an Italian number without its trunk prefix as well as a full one without
 * "+": only the site's country can tell, so normalizeSender (phone.ts) reads it there. The text
 * is in short_message, or in message_payload when the SMSC sends a long SMS whole. `part`: this
 * PDU is one part of a long SMS, to be joined with the others.
 */
function inboundSms(pdu: smpp.PDU): { from: string; text: string; to: string; part?: SmsPartInfo } {
  const source = String(pdu.source_addr ?? "");
  const ton = Number(pdu.source_addr_ton);
  const international = /^\d+$/.test(source) && ton === 1;
  const from = (international ? `+${source}` : source).replace(CONTROL, "");
  const text = (decodedText(pdu, pdu.short_message) || decodedText(pdu, pdu.message_payload)).replace(/\u0000/g, "");
  const part = partInfo(pdu);
  // `to`: the number (or short code) the person wrote to, which tells sites on one login apart.
  return { from, text, to: String(pdu.destination_addr ?? "").replace(CONTROL, ""), ...(part ? { part } : {}) };
}

function decodedText(pdu: smpp.PDU, value: unknown): string {
  const raw = value && typeof value === "object" && "message" in value ? value.message : value;
  return Buffer.isBuffer(raw) && Number(pdu.data_coding) === 8 ? Buffer.from(raw.subarray(0, raw.length & ~1)).swap16().toString("utf16le") : messageText(raw);
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

type Pacer = { rates: Map<symbol, number>; lastAt: number; turns: Promise<void>; turn(): Promise<void> };
// On globalThis: Next may load this module from several bundles, and one account has one rate.
const PACERS_KEY = Symbol.for("chora.smppPacers");
const pacers = ((globalThis as typeof globalThis & { [PACERS_KEY]?: Map<string, Pacer> })[PACERS_KEY] ??= new Map<string, Pacer>());

/**
 * The submit pacer of an SMPP account (`?tps=`): submits take turns, each at least 1/tps after
 * the previous one actually left (not after its planned time: one held up by a bind or a busy
 * loop makes no burst after). Sessions of one account that give different rates share the
 * slowest of the sessions still open; `release` when a session closes.
 */
function pacerFor(account: string, tps: number): { turn: () => Promise<void>; release: () => void } {
  let pacer = pacers.get(account);
  if (!pacer) {
    const created: Pacer = {
      rates: new Map(),
      lastAt: -Infinity,
      turns: Promise.resolve(),
      turn() {
        const next = created.turns.then(async () => {
          const spacingMs = 1000 / Math.min(...created.rates.values());
          const wait = created.lastAt + spacingMs - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
          created.lastAt = performance.now();
        });
        created.turns = next;
        return next;
      },
    };
    pacers.set(account, (pacer = created));
  }
  const session = Symbol(account);
  pacer.rates.set(session, tps);
  const shared = pacer;
  return {
    turn: () => (shared.rates.size ? shared.turn() : Promise.resolve()),
    release: () => void shared.rates.delete(session),
  };
}

export function smppTransport(url: string, options: SmppOptions = {}): SmsTransport {
  const cfg = parseSmppUrl(url);
  const where = `${cfg.host}:${cfg.port}`;
  const window = Math.max(1, options.window ?? 10);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const responseTimeoutMs = options.responseTimeoutMs ?? 30_000;
  const enquireLinkMs = options.enquireLinkMs ?? 30_000;
  const log = options.log ?? ((msg: string, extra?: unknown) => console.warn(`[smpp] ${msg}`, extra ?? ""));
  const firstPauseMs = options.throttle?.firstPauseMs ?? 250;
  const maxPauseMs = options.throttle?.maxPauseMs ?? 8_000;
  const patienceMs = options.throttle?.patienceMs ?? 30_000;

  let link: Promise<Conn> | null = null; // the bound session, or the attempt to get one
  let current: Conn | null = null;
  let failures = 0;
  let retryAt = 0;
  let closed = false;
  let listening = false;
  let relisten: ReturnType<typeof setTimeout> | null = null;
  let quickDrops = 0;
  // Random start: a restart should not reuse the refs a handset may still be reassembling.
  let ref = Math.floor(Math.random() * 256);
  const partOf = new Map<string, string>();

  // Throttling: every submit waits until `pausedUntil`. A "slow down" answer to a submit made since
  // the last pause began starts the next one, twice as long as the last; answers to submits made
  // before it (the rest of that window) belong to it. A success made since then resets the length.
  // Pauses are counted, not compared by clock: a timer may fire a millisecond before Date.now()
  // reaches its end, and a loopback answer within that millisecond once looked like the same pause.
  let pausedUntil = 0;
  let pauses = 0;
  let pauseMs = firstPauseMs;
  function slowDown(pausesAtSubmit: number) {
    if (pausesAtSubmit !== pauses) return;
    pauses++;
    pausedUntil = Date.now() + pauseMs;
    pauseMs = Math.min(pauseMs * 2, maxPauseMs);
  }

  // Pacing (`?tps=`): one pacer per account in this process, shared by every session on it
  // (sites on one login with different senders or settings), at the slowest rate any of them gives.
  const pacer = cfg.tps ? pacerFor(`${cfg.systemId}@${cfg.host.toLowerCase()}:${cfg.port}`, cfg.tps) : null;

  const slowDownAnswer = (error: unknown) => error instanceof SmsSendError && SLOW_DOWN.has(Number(error.code));

  /** One part, submitted again after each "slow down" until the message's patience runs out. */
  async function submitPaced(fields: Record<string, unknown>, accepted: (id: string) => void, deadline: number): Promise<string> {
    for (;;) {
      try {
        return await withSlot(async () => {
          // Checked with the slot in hand: a sender that waited for a slot must not slip in
          // during a pause that began meanwhile (holding the slot costs nothing: all wait).
          const pause = () => pausedUntil - Date.now();
          if (pause() > 0) await new Promise((resolve) => setTimeout(resolve, pause()));
          if (pacer) {
            await connection().catch(() => undefined); // bound first: a bind's round trip is not a submit's turn
            await pacer.turn();
            // A pause may have begun while this one waited for its turn.
            if (pause() > 0) await new Promise((resolve) => setTimeout(resolve, pause()));
          }
          const pausesAtSubmit = pauses;
          try {
            const id = await submit(await connection(), fields, accepted);
            // Only a submit made after the last pause began says the SMSC keeps up again.
            if (pausesAtSubmit === pauses) pauseMs = firstPauseMs;
            return id;
          } catch (error) {
            // Paused before the slot passes to the next sender, which would otherwise submit first.
            if (slowDownAnswer(error)) slowDown(pausesAtSubmit);
            throw error;
          }
        });
      } catch (error) {
        if (!slowDownAnswer(error) || pausedUntil > deadline) throw error;
      }
    }
  }

  // Window: a counting semaphore. A released slot is handed straight to the next waiter.
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  async function withSlot<T>(job: () => Promise<T>): Promise<T> {
    if (inFlight < window) inFlight++;
    else await new Promise<void>((resolve) => waiters.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiters.shift();
      if (next) next();
      else inFlight--;
    }
  }

  function connection(): Promise<Conn> {
    if (closed) return Promise.reject(new SmsSendError("SMPP transport closed", true));
    if (link) return link;
    // Fail fast during backoff instead of queueing: the queue retries the row later with its
    // own backoff, and a runner's lease is not burnt waiting on a down SMSC.
    const wait = retryAt - Date.now();
    if (wait > 0) return Promise.reject(new SmsSendError(`SMPP ${where} unavailable; next connection attempt in ${Math.ceil(wait / 1000)} s`, true));
    link = open().then(
      (conn) => {
        failures = 0;
        return conn;
      },
      (error: SmsSendError) => {
        link = null;
        failures++;
        retryAt = Date.now() + Math.min(BACKOFF_MIN_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
        throw error;
      },
    );
    return link;
  }

  function open(): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ host: cfg.host, port: cfg.port, tls: cfg.tls, auto_enquire_link_period: enquireLinkMs });
      const conn: Conn = { session, pending: new Set(), lastHeard: Date.now(), corked: false, boundAt: Date.now() };
      let settled = false;
      const fail = (message: string, code?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        session.destroy();
        reject(new SmsSendError(message, true, code));
      };
      const timer = setTimeout(() => fail(`SMPP connect/bind to ${where} timed out after ${connectTimeoutMs} ms`), connectTimeoutMs);
      session.on("error", (error: Error) => {
        if (settled && !closed) log(`connection to ${where}: ${error.message}`);
        fail(`SMPP connection to ${where} failed: ${error.message}`);
        // After the bind too: the package stops reading for good once a PDU fails to parse (one
        // over its 16 KiB limit…), so a kept session would take submits whose answers go unread
        // (a timeout, then a retry that sends them twice) and hold receipts and STOPs until the
        // keep-alive gives up. Dropped now, its pending submits fail as lost and the next send
        // binds again; the SMSC redelivers what it did not see acknowledged.
        if (current === conn) {
          dropped(conn);
          session.destroy();
        }
      });
      session.on("close", () => {
        fail(`SMPP connection to ${where} closed before bind`);
        dropped(conn);
      });
      session.on(cfg.tls ? "secureConnect" : "connect", () => {
        session.bind_transceiver({ system_id: cfg.systemId, password: cfg.password }, (resp) => {
          // A refused bind (ESME_RBINDFAIL, ESME_RINVPASWD…) is transient on purpose: it is a
          // configuration fault of the whole account, not of the messages. Failing them for good
          // would lose every queued SMS; retried, they go out once the credentials are fixed.
          if (resp.command_status !== 0) return fail(`SMPP bind_transceiver to ${where}: ${describeStatus(resp.command_status)}`, resp.command_status);
          settled = true;
          clearTimeout(timer);
          conn.boundAt = Date.now();
          current = conn;
          resolve(conn);
        });
      });
      session.on("pdu", () => (conn.lastHeard = Date.now()));
      session.on("send", (pdu: smpp.PDU) => {
        // Our keep-alive gets no answer for 3 periods: the peer is gone (half-open TCP). Drop it.
        if (pdu.command === "enquire_link" && Date.now() - conn.lastHeard > 3 * enquireLinkMs) session.destroy();
      });
      session.on("enquire_link", (pdu: smpp.PDU) => session.send(pdu.response()));
      session.on("unbind", (pdu: smpp.PDU) => {
        session.send(pdu.response());
        session.close();
      });
      session.on("unknown", (pdu: smpp.PDU) => {
        if (!pdu.isResponse()) session.send(pdu.response()); // generic_nack
      });
      session.on("deliver_sm", (pdu: smpp.PDU) => void deliver(session, pdu));
    });
  }

  /**
   * Submits made in the same turn of the event loop leave in one write: a window refilled by a
   * burst of responses would otherwise cost a syscall (and a wake-up of the SMSC) per PDU.
   */
  function coalesce(conn: Conn) {
    if (conn.corked) return;
    conn.corked = true;
    conn.session.socket.cork();
    setImmediate(() => {
      conn.corked = false;
      conn.session.socket.uncork();
    });
  }

  /** Socket gone: whatever awaits a submit_sm_resp on it fails transient (maybe accepted, maybe not). */
  function dropped(conn: Conn) {
    if (current === conn) {
      current = null;
      link = null;
      if (!closed) log(`connection to ${where} lost; ${conn.pending.size} submit(s) unanswered`);
      // An SMSC that takes the bind and then ends the session (one bind allowed, and another
      // process holds it) must not be rebound by the listener every second: each short-lived
      // session doubles the listener's wait (sends keep their own, immediate, reconnect).
      quickDrops = Date.now() - conn.boundAt < STABLE_SESSION_MS ? quickDrops + 1 : 0;
      keepBound(Math.min(RELISTEN_AFTER_DROP_MS * 2 ** quickDrops, BACKOFF_MAX_MS));
    }
    for (const p of conn.pending) p.reject(new SmsSendError(`SMPP connection to ${where} lost before submit_sm_resp`, true));
    conn.pending.clear();
  }

  /**
   * While listening, a session is bound at all times: after a drop or a failed attempt, the next
   * attempt comes after the connection backoff. The timer does not keep a process alive.
   */
  function keepBound(delayMs = 0) {
    if (!listening || closed || relisten) return;
    relisten = setTimeout(() => {
      relisten = null;
      if (!listening || closed || current) return;
      // A timer may fire a millisecond before Date.now() reaches the backoff's end: wait it out
      // rather than fail fast and wait a whole backoff more.
      if (retryAt > Date.now()) return keepBound(retryAt - Date.now());
      connection().catch((error: SmsSendError) => {
        if (closed) return;
        log(`listening for receipts and replies: ${error.message}`);
        // A refused login is retried rarely: some SMSCs lock an account after repeated bad binds.
        const refused = BIND_REFUSED.has(Number(error.code));
        keepBound(refused ? BIND_REFUSED_RETRY_MS : Math.max(retryAt - Date.now(), BACKOFF_MIN_MS));
      });
    }, delayMs);
    relisten.unref?.();
  }

  function submit(conn: Conn, fields: Record<string, unknown>, accepted: (id: string) => void): Promise<string> {
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        reject(error) {
          done();
          reject(error);
        },
      };
      const done = () => {
        clearTimeout(timer);
        conn.pending.delete(pending);
      };
      const timer = setTimeout(() => {
        pending.reject(new SmsSendError(`SMPP submit_sm: no response within ${responseTimeoutMs} ms`, true));
        conn.session.destroy();
      }, responseTimeoutMs);
      conn.pending.add(pending);
      coalesce(conn);
      const sent = conn.session.send(new smpp.PDU("submit_sm", fields), (resp) => {
        done();
        const status = resp.command_status;
        if (status !== 0) return reject(new SmsSendError(`SMPP submit_sm: ${describeStatus(status)}`, isTransientStatus(status), status));
        const id = String(resp.message_id ?? "");
        accepted(id); // synchronously: a receipt may be the very next PDU in this read
        resolve(id);
      });
      if (!sent) {
        pending.reject(new SmsSendError(`SMPP connection to ${where} is not writable`, true));
        conn.session.destroy();
      }
    });
  }

  async function deliver(session: smpp.Session, pdu: smpp.PDU) {
    let what = "delivery receipt not recorded";
    let status = 0;
    try {
      const receipt = parseReceipt(pdu);
      if (!receipt) {
        what = "inbound SMS not handled";
        if ((Number(pdu.esm_class) & 0x3c) === 0) await options.onInbound?.(inboundSms(pdu));
        return;
      }
      if (receipt.delivered === undefined) return;
      if (partOf.has(receipt.id)) {
        partOf.delete(receipt.id);
        // A later part delivered says nothing the first part's receipt does not (and many SMSCs
        // send none): dropped here. A later part not delivered means the phone shows the message
        // cut short: reported, and the queue finds the part by the ids kept with its row
        // (lib/queue/receipts.ts). A part this session did not send (another process, or before
        // a restart) is not in partOf: its receipt goes there too, and is recognised there.
        if (receipt.delivered) return;
      }
      await options.onReceipt?.({ providerMessageId: receipt.id, delivered: receipt.delivered, ...(receipt.reason ? { reason: receipt.reason } : {}) });
    } catch (error) {
      log(what, error);
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
  }

  return {
    kind: "smpp",
    async send(sms): Promise<SmsSendResult> {
      const { parts, encoding } = smsParts(sms.text);
      if (parts.length === 0) throw new SmsSendError("SMPP: empty message", false);
      const gsm = encoding === "GSM-7";
      // GSM-7 as data_coding 0 (SMSC default alphabet), one septet per octet as SMPP carries it;
      // anything else UCS-2. Encoded here as Buffers: given strings, the package would pick
      // IA5/Latin-1 codings by itself (data_coding 1 or 3), which handsets show as garbage.
      const encode = gsm ? smpp.encodings.ASCII.encode : smpp.encodings.UCS2.encode;
      const base = {
        ...sourceAddress(sms.from || cfg.source),
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: sms.to.replace(/^\+/, ""),
        registered_delivery: 1,
        data_coding: gsm ? 0 : 8,
      };
      const total = parts.length;
      // One reference for all the parts of this message, whatever other sends do meanwhile.
      const msgRef = total > 1 ? (ref = (ref + 1) & 0xff) : 0;
      let firstId: string | null = null;
      const partIds: string[] = [];
      const deadline = Date.now() + patienceMs;
      // Parts go one after the other, in order (some SMSCs reassemble only in order). If a later
      // part fails, the whole message is retried: the handset may show a stray first part.
      for (let i = 0; i < total; i++) {
        const body = encode(parts[i]);
        const fields = total === 1 ? { ...base, esm_class: 0, short_message: body } : { ...base, esm_class: 0x40, short_message: Buffer.concat([Buffer.from([5, 0, 3, msgRef, total, i + 1]), body]) };
        const first: string | null = firstId;
        const id = await submitPaced(
          fields,
          (partId) => {
            // A message's own id now (the SMSC restarted or wrapped its numbering): no longer a later
            // part of an earlier one, whose receipt never came; this message's receipt must go through.
            if (first === null) return void partOf.delete(partId);
            if (partOf.size >= MAX_PART_IDS) partOf.delete(partOf.keys().next().value!);
            partOf.set(partId, first);
          },
          // Once the first part is out, giving up would make the retry send it twice: later
          // parts wait out a longer throttle (the lease still bounds the whole send).
          first === null ? deadline : deadline + 3 * patienceMs,
        );
        if (firstId === null) firstId = id;
        else partIds.push(id);
      }
      return partIds.length ? { providerMessageId: firstId!, partIds } : { providerMessageId: firstId! };
    },
    listen() {
      if (listening) return;
      listening = true;
      keepBound();
    },
    async close() {
      closed = true;
      pacer?.release();
      if (relisten) clearTimeout(relisten);
      relisten = null;
      const attempt = link;
      link = null;
      const conn = current ?? (await attempt?.catch(() => null)) ?? null;
      current = null;
      if (!conn || conn.session.socket.destroyed) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => conn.session.destroy(), 5_000);
        conn.session.socket.once("close", () => {
          clearTimeout(force);
          resolve();
        });
        // unbind first so the SMSC knows we left on purpose (and stops queueing receipts to us)
        if (!conn.session.unbind(() => conn.session.close())) conn.session.destroy();
      });
    },
  };
}

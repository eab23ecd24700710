import smpp from "smpp";
import { BIND_REFUSED, describeStatus } from "./smpp-status";
import { SmsSendError } from "./transport";
import type { parseSmppUrl } from "./url";

/**
 * The bound transceiver session of one transport: connect and bind on demand, keep it alive,
 * bind again with backoff after a drop, and (listening) keep one bound at all times.
 */

/** A submit_sm awaiting its response: failed when the socket goes. */
export type Pending = { reject: (error: SmsSendError) => void };
export type Conn = { session: smpp.Session; pending: Set<Pending>; lastHeard: number; corked: boolean; boundAt: number };

export type SessionOptions = {
  connectTimeoutMs: number;
  enquireLinkMs: number;
  log: (msg: string, extra?: unknown) => void;
  /** A deliver_sm heard on the session (a receipt or an SMS sent to us), to be answered on it. */
  onDeliver: (session: smpp.Session, pdu: smpp.PDU) => void;
};

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A listening transport binds again this long after its session dropped. */
const RELISTEN_AFTER_DROP_MS = 1_000;
/** A session that ends sooner than this after its bind counts as a failed attempt (backoff grows). */
const STABLE_SESSION_MS = 10_000;
/** A listener whose bind the SMSC refuses (system_id or password) tries again this rarely. */
const BIND_REFUSED_RETRY_MS = 10 * 60_000;

export function smppSession(cfg: ReturnType<typeof parseSmppUrl>, options: SessionOptions) {
  const where = `${cfg.host}:${cfg.port}`;
  const { connectTimeoutMs, enquireLinkMs, log } = options;
  let link: Promise<Conn> | null = null; // the bound session, or the attempt to get one
  let current: Conn | null = null;
  let failures = 0;
  let retryAt = 0;
  let closed = false;
  let listening = false;
  let relisten: ReturnType<typeof setTimeout> | null = null;
  let quickDrops = 0;

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
      session.on("deliver_sm", (pdu: smpp.PDU) => options.onDeliver(session, pdu));
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

  return {
    where,
    /** The bound session, bound now if need be; rejects (transient) during the backoff. */
    connection,
    listen() {
      if (listening) return;
      listening = true;
      keepBound();
    },
    /** Unbinds and closes; nothing binds again afterwards. */
    async close() {
      closed = true;
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

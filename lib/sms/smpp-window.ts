import smpp from "smpp";
import type { Conn, Pending } from "./smpp-session";
import { describeStatus, isTransientStatus, SLOW_DOWN } from "./smpp-status";
import { isSmsSendError, SmsSendError } from "./transport";

/**
 * How submit_sm leave a transport: at most `window` awaiting their response, paced (`?tps=`),
 * paused and submitted again while the SMSC says "slow down", each answered within a deadline.
 */
export type WindowOptions = {
  window: number;
  responseTimeoutMs: number;
  firstPauseMs: number;
  maxPauseMs: number;
  /** The account's pacer (`?tps=`), null when it has none. */
  pacer: { turn: () => Promise<void> } | null;
  /** The bound session (see smppSession). */
  connection: () => Promise<Conn>;
  /** host:port, for the errors. */
  where: string;
};

/** The SMSC took a submit_sm on `session` and named it `id`. */
export type Accepted = (id: string, session: smpp.Session) => void;

const slowDownAnswer = (error: unknown) => isSmsSendError(error) && SLOW_DOWN.has(Number(error.code));

export function submitWindow(options: WindowOptions) {
  const { window, responseTimeoutMs, firstPauseMs, maxPauseMs, pacer, connection, where } = options;

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

  /** One part, submitted again after each "slow down" until the message's patience runs out. */
  async function submitPaced(fields: Record<string, unknown>, accepted: Accepted, deadline: number): Promise<string> {
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

  function submit(conn: Conn, fields: Record<string, unknown>, accepted: Accepted): Promise<string> {
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
        accepted(id, conn.session); // synchronously: a receipt may be the very next PDU in this read
        resolve(id);
      });
      if (!sent) {
        pending.reject(new SmsSendError(`SMPP connection to ${where} is not writable`, true));
        conn.session.destroy();
      }
    });
  }

  return { submitPaced };
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

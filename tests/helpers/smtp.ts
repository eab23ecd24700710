import type net from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

/**
 * A real SMTP peer on loopback for tests and benchmarks: it records every envelope and raw
 * message it accepts, can refuse chosen addresses (451 for the first N attempts, 550 always,
 * with the server's words when given), can answer slowly, can require a login, and can go down
 * and come back on the same port to play "server down".
 */
export type ReceivedMail = {
  seq: number;
  mailFrom: string;
  rcptTo: string[];
  /** Empty when the harness was started with `keepRaw: false` (benchmark sink). */
  raw: string;
  messageId: string | null;
  size: number;
};
export type Rejection = { address: string; code: number; phase: Phase };
type Rule = { address: string; code: number; remaining: number; phase: Phase; message: string };
/** When a refusal answers: at MAIL FROM (the sender), RCPT TO (a recipient) or after DATA. */
type Phase = "from" | "rcpt" | "data";

export type SmtpHarness = {
  readonly port: number;
  readonly url: string;
  readonly received: ReceivedMail[];
  readonly rejections: Rejection[];
  /** Refuse the next `n` messages to `address` with `code` (451 by default), then accept. */
  failFirst(address: string, n: number, code?: number, phase?: Phase): void;
  /** Refuse every message to `address` with `code` (550 by default), and `message` after it. */
  failAlways(address: string, code?: number, phase?: Phase, message?: string): void;
  /** Drop the refusal rules for `address`: it is accepted again. */
  accept(address: string): void;
  /** Wait `ms` before answering each DATA (a slow server). */
  setDataDelay(ms: number): void;
  /** Forget received mail, rejections, rules and delay. */
  reset(): void;
  /** Message-ID → how many times it was received. */
  countByMessageId(): Map<string, number>;
  waitForCount(n: number, timeoutMs?: number): Promise<void>;
  /** Close the listener and drop every open connection: clients now get ECONNREFUSED. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
};

/** `login`: the only user and password accepted (AUTH required); any other is refused with 535. */
export async function startSmtpServer(options: { keepRaw?: boolean; port?: number; login?: { user: string; pass: string } } = {}): Promise<SmtpHarness> {
  const keepRaw = options.keepRaw ?? true;
  const received: ReceivedMail[] = [];
  const rejections: Rejection[] = [];
  let rules: Rule[] = [];
  let delay = 0;
  let server: SMTPServer | null = null;
  let port = options.port ?? 0;
  const sockets = new Set<net.Socket>();

  const refusal = (address: string, phase: Rule["phase"]) => {
    const a = address.toLowerCase();
    const rule = rules.find((r) => r.address === a && r.phase === phase && r.remaining > 0);
    if (!rule) return null;
    rule.remaining--;
    rejections.push({ address: a, code: rule.code, phase });
    return Object.assign(new Error(rule.message), { responseCode: rule.code });
  };

  const login = options.login;
  const handlers: SMTPServerOptions = {
    authOptional: !login,
    allowInsecureAuth: true, // loopback without STARTTLS
    onAuth(auth, _session, cb) {
      if (login && auth.username === login.user && auth.password === login.pass) return cb(null, { user: login.user });
      cb(Object.assign(new Error("5.7.8 Error: authentication failed: authentication failure"), { responseCode: 535 }));
    },
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 100,
    onMailFrom(address, _session, cb) {
      cb(refusal(address.address, "from"));
    },
    onRcptTo(address, _session, cb) {
      cb(refusal(address.address, "rcpt"));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (c: Buffer) => {
        size += c.length;
        // The sink keeps only the head, enough for the Message-ID.
        if (keepRaw || size - c.length < 8192) chunks.push(c);
      });
      stream.on("end", () => {
        const rcptTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const finish = () => {
          for (const to of rcptTo) {
            const err = refusal(to, "data");
            if (err) return cb(err);
          }
          const text = Buffer.concat(chunks).toString("utf8");
          const end = text.indexOf("\r\n\r\n");
          const head = end >= 0 ? text.slice(0, end) : text;
          received.push({
            seq: received.length + 1,
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            rcptTo,
            raw: keepRaw ? text : "",
            messageId: /^message-id:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? null,
            size,
          });
          cb();
        };
        if (delay > 0) setTimeout(finish, delay);
        else finish();
      });
    },
  };

  const listen = async () => {
    const s = new SMTPServer(handlers);
    s.on("error", () => {}); // a dropped client must not fail the test run
    s.server.on("connection", (socket: net.Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.server.once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        s.server.off("error", reject);
        resolve();
      });
    });
    port = (s.server.address() as net.AddressInfo).port;
    server = s;
  };

  const shutdown = async () => {
    const s = server;
    server = null;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  await listen();

  const addRule = (address: string, n: number, code: number, phase: Rule["phase"], message = code >= 500 ? "Mailbox unavailable" : "Try again later") =>
    rules.push({ address: address.toLowerCase(), code, remaining: n, phase, message });

  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    received,
    rejections,
    failFirst: (address, n, code = 451, phase = "rcpt") => addRule(address, n, code, phase),
    failAlways: (address, code = 550, phase = "rcpt", message) => addRule(address, Infinity, code, phase, message),
    accept(address) {
      rules = rules.filter((r) => r.address !== address.toLowerCase());
    },
    setDataDelay(ms) {
      delay = ms;
    },
    reset() {
      received.length = 0;
      rejections.length = 0;
      rules = [];
      delay = 0;
    },
    countByMessageId() {
      const counts = new Map<string, number>();
      for (const m of received) if (m.messageId) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return counts;
    },
    async waitForCount(n, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`SMTP harness: ${received.length} of ${n} messages after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: shutdown,
    start: async () => {
      if (!server) await listen();
    },
    close: shutdown,
  };
}

import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type Mail from "nodemailer/lib/mailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { env } from "@/lib/env";

export type SendResult = { providerMessageId: string };
export interface EmailTransport {
  kind: "smtp" | "outbox";
  send(mail: Mail.Options, meta: { siteId: number; queueId: number }): Promise<SendResult>;
  close(): void;
}

// DKIM must cover the one-click unsubscribe headers (RFC 8058 §4); nodemailer's default list
// has List-Unsubscribe but not List-Unsubscribe-Post.
export const DKIM_HEADERS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:" +
  "In-Reply-To:References:List-Id:List-Unsubscribe:List-Unsubscribe-Post";

export type DkimOptions = { domainName: string; keySelector: string; privateKey: string; headerFieldNames: string };

function dkimFromEnv(): DkimOptions | undefined {
  if (!env.DKIM_DOMAIN || !env.DKIM_SELECTOR || !env.DKIM_PRIVATE_KEY) return undefined;
  return {
    domainName: env.DKIM_DOMAIN,
    keySelector: env.DKIM_SELECTOR,
    privateKey: env.DKIM_PRIVATE_KEY.replace(/\\n/g, "\n"),
    headerFieldNames: DKIM_HEADERS,
  };
}

/** nodemailer's options for a pooled SMTP transport to `url`: plain data, so a worker thread can take them. */
export function smtpOptions(url: string, poolSize: number, dkim?: DkimOptions) {
  const parsed = new URL(url);
  const secure = parsed.protocol === "smtps:";
  return {
    pool: true,
    maxConnections: poolSize,
    maxMessages: Infinity,
    host: parsed.hostname,
    port: Number(parsed.port) || (secure ? 465 : 587),
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    tls: { rejectUnauthorized: parsed.searchParams.get("tls_reject_unauthorized") !== "false" },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dkim,
  };
}

/** What the worker reports of a failed send: what classifySendError reads, and the message. */
type WorkerFailure = { message: string; code?: string; responseCode?: number; response?: string; command?: string };
type WorkerReply = { id: number; messageId?: string; error?: WorkerFailure };

/**
 * Pooled SMTP, run by nodemailer on a worker thread of its own (lib/mail/smtp-worker.mjs).
 * DKIM signing and writing to the sockets run there while this thread does the database work
 * and builds the next messages (buildMime): bench/queue-drain.ts measures the queue at 0.99–1.04
 * of raw nodemailer's rate this way, against 0.77 with everything on one thread. The worker
 * starts with the first email sent and stops at `close()`, once the sends it holds are answered.
 */
export function smtpTransport(url: string, poolSize = env.SMTP_POOL_SIZE, dkim: DkimOptions | undefined = dkimFromEnv()): EmailTransport {
  const options = smtpOptions(url, poolSize, dkim);
  // A missing worker file is a broken installation, not a failed send: say so before any row is
  // claimed, rather than failing every email as "retry later".
  const file = workerFile();
  if (!existsSync(file)) throw new Error(`chora cannot send email: ${file} is missing (start chora from its own folder)`);
  let current: ReturnType<typeof startWorker> | null = null;
  return {
    kind: "smtp",
    async send(mail) {
      const message = await buildMime(mail);
      // Chosen after building: a worker closed meanwhile never receives the message.
      if (!current?.alive) current = startWorker(file, options);
      return current.send(message);
    },
    close() {
      current?.close();
      current = null;
    },
  };
}

type BuiltMessage = Awaited<ReturnType<typeof buildMime>>;

/** One worker and the sends it holds; a crash fails those (an unknown failure is retried later). */
function startWorker(file: string, options: ReturnType<typeof smtpOptions>) {
  const worker = new Worker(file, { workerData: { options } });
  const waiting = new Map<number, { resolve: (result: SendResult) => void; reject: (error: Error) => void }>();
  let sequence = 0;
  let alive = true;
  const workerFailure = (message: string) => Object.assign(new Error(message), { code: "EWORKER" });
  const failAll = (message: string) => {
    alive = false;
    for (const w of waiting.values()) w.reject(workerFailure(message));
    waiting.clear();
  };
  worker.on("message", (reply: WorkerReply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) worker.unref(); // an idle pool must not keep the process alive
    if (reply.error) pending.reject(Object.assign(new Error(reply.error.message), reply.error));
    else pending.resolve({ providerMessageId: reply.messageId! });
  });
  worker.on("error", (error) => failAll(`SMTP worker failed: ${error.message}`));
  worker.on("exit", () => failAll("SMTP worker stopped"));
  return {
    get alive() {
      return alive;
    },
    send(message: BuiltMessage) {
      if (!alive) return Promise.reject(workerFailure("SMTP worker closed"));
      const id = ++sequence;
      if (waiting.size === 0) worker.ref();
      return new Promise<SendResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, message });
      });
    },
    /** No new sends; the worker answers those it holds, then ends its pool and itself. */
    close() {
      alive = false;
      worker.postMessage("close");
    },
  };
}

/**
 * Found from the working directory, where every way of running chora starts (npm start, the
 * queue command, tests, benchmarks): the Next.js server bundle has no file of its own to resolve
 * it against, and the worker must be loaded as is rather than bundled.
 */
const workerFile = () => path.join(process.cwd(), "lib", "mail", "smtp-worker.mjs");

/**
 * The message as it goes on the wire (RFC 5322 bytes) and its SMTP envelope (from `mail.envelope`
 * when given, else From/To/Cc/Bcc; Bcc is left out of the headers). Built on the caller's thread:
 * MIME building is a third of a send's CPU, and the SMTP worker's thread is the one that runs out
 * first. nodemailer options that only apply when it builds the message itself (list, priority,
 * per-message dkim, dsn) are not used by chora and would be lost here.
 */
export async function buildMime(mail: Mail.Options) {
  const node = new MailComposer(mail).compile();
  const envelope = node.getEnvelope();
  return { raw: await node.build(), envelope: { from: envelope.from || undefined, to: envelope.to }, messageId: node.messageId() };
}

/** Embedded default: each email becomes an .eml file, openable from the queue screen. */
export function outboxTransport(dir = outboxDir()): EmailTransport {
  return {
    kind: "outbox",
    async send(mail, meta) {
      const { raw } = await buildMime(mail);
      const folder = path.join(dir, String(meta.siteId));
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `${meta.queueId}.eml`), raw);
      return { providerMessageId: String(mail.messageId ?? `outbox:${meta.queueId}`) };
    },
    close() {},
  };
}

export const outboxDir = () => path.join(env.dataDir, "outbox");
export const outboxFile = (siteId: number, queueId: number) => path.join(outboxDir(), String(siteId), `${queueId}.eml`);

export function defaultEmailTransport(): EmailTransport {
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL) : outboxTransport();
}

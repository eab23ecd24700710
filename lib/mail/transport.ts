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
 * Building each MIME message, DKIM signing and writing it to the sockets is most of a send's CPU;
 * on the runner's thread it queued behind the database work and composing, and the pool stood
 * idle meanwhile. Here both proceed at once (bench/queue-drain.ts: 0.77 → 0.87 of raw
 * nodemailer's rate). The worker starts with the first email sent and stops at `close()`.
 */
export function smtpTransport(url: string, poolSize = env.SMTP_POOL_SIZE, dkim: DkimOptions | undefined = dkimFromEnv()): EmailTransport {
  const options = smtpOptions(url, poolSize, dkim);
  let current: ReturnType<typeof startWorker> | null = null;
  return {
    kind: "smtp",
    send(mail) {
      if (!current?.alive) current = startWorker(options);
      return current.send(mail);
    },
    close() {
      current?.close();
      current = null;
    },
  };
}

/** One worker and the sends it holds; a crash fails those (an unknown failure is retried later). */
function startWorker(options: ReturnType<typeof smtpOptions>) {
  const worker = new Worker(workerFile(), { workerData: { options } });
  const waiting = new Map<number, { resolve: (result: SendResult) => void; reject: (error: Error) => void }>();
  let sequence = 0;
  let alive = true;
  const failAll = (message: string) => {
    alive = false;
    for (const w of waiting.values()) w.reject(Object.assign(new Error(message), { code: "EWORKER" }));
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
    async send(mail: Mail.Options) {
      const id = ++sequence;
      const message = await buildMime(mail);
      if (waiting.size === 0) worker.ref();
      return new Promise<SendResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, message });
      });
    },
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
 * The message as it goes on the wire (RFC 5322 bytes) and its SMTP envelope. Built on the
 * caller's thread: MIME building is a third of a send's CPU, and the SMTP worker's thread is the
 * one that runs out first.
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

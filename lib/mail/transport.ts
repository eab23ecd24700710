import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import nodemailer from "nodemailer";
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

/**
 * Pooled SMTP. Sockets get TCP_NODELAY: without it, Nagle's algorithm and delayed ACKs stall
 * every pipelined command and a loopback pool tops out near 110 messages/s instead of ~2,000.
 */
export function smtpTransport(url: string, poolSize = env.SMTP_POOL_SIZE, dkim: DkimOptions | undefined = dkimFromEnv()): EmailTransport {
  const parsed = new URL(url);
  const secure = parsed.protocol === "smtps:";
  const port = Number(parsed.port) || (secure ? 465 : 587);
  const host = parsed.hostname;
  const transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: poolSize,
    maxMessages: Infinity,
    host,
    port,
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    tls: { rejectUnauthorized: parsed.searchParams.get("tls_reject_unauthorized") !== "false" },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dkim,
    getSocket(_options: unknown, callback: (err: Error | null, socketOptions?: { connection: net.Socket }) => void) {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      // Handed over before it connects: a refused connection then fails through nodemailer's own
      // error path, which frees the pool slot (an error given to this callback leaks it).
      callback(null, { connection: socket });
    },
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: "smtp",
    async send(mail) {
      const info = await transporter.sendMail(mail);
      return { providerMessageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

/** Embedded default: each email becomes an .eml file, openable from the queue screen. */
export function outboxTransport(dir = outboxDir()): EmailTransport {
  return {
    kind: "outbox",
    async send(mail, meta) {
      const composer = new MailComposer(mail).compile();
      const raw = await composer.build();
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

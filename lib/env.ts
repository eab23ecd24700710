import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { validSmsUrl } from "@/lib/sms/url";

/**
 * The one place that reads process.env. Everything else imports `env`.
 * Values are validated once; a bad value stops the process with a readable message.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),
  /** PGlite location; defaults to DATA_DIR/pglite. `memory://` keeps it in memory (tests). */
  PGLITE_DIR: z.string().optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  AUTH_URL: z.string().url().optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  DEFAULT_SITE_DOMAIN: z.string().default("localhost"),
  DEFAULT_LOCALE: z.enum(["fr", "en"]).default("fr"),
  PORT: z.coerce.number().int().positive().default(3000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  /**
   * Reverse proxies in front of chora that append to X-Forwarded-For (nginx, a load balancer):
   * the client's address is the entry this many places from the right. Entries further left are
   * whatever the client sent, and must not choose its rate-limit bucket.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),

  // Outbound queue
  /** smtp://user:pass@host:587 or smtps://…:465. Unset: emails are written to DATA_DIR/outbox as .eml files. */
  SMTP_URL: z.string().url().optional(),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /**
   * Default SMS transport for sites without their own: smpp://system_id:password@host:2775
   * (smpps:// for TLS; ?source=Sender&tps=50) or twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com?from=+33…
   * Unset: each SMS is written to DATA_DIR/outbox as a text file and marked sent.
   */
  SMS_URL: z
    .string()
    .regex(/^(smpps?|twilio):\/\//, "smpp://, smpps:// or twilio://")
    .refine(validSmsUrl, "not a usable SMS URL: smpp://system_id:password@host:port (?tps= from 0.1 to 10000) or twilio://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com")
    .optional(),
  /** SMPP: submit_sm outstanding at once on the session (the SMSC's window). */
  SMS_WINDOW: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * SMPP: the server keeps a session bound per account to hear receipts and replies ("1", the
   * default). "0" for an account that allows a single bind which another process must hold, or
   * for all replicas but one.
   */
  SMS_LISTEN: z.enum(["0", "1", "false", "true"]).default("1").transform((v) => v === "1" || v === "true"),
  /** SMS replies (they hold what people wrote) are deleted after this many days; 0 keeps them. */
  SMS_REPLY_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  QUEUE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  QUEUE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  QUEUE_LEASE_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  QUEUE_BACKOFF_SECONDS: z.coerce.number().min(0).default(60),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),
  // Inngest: with INNGEST_DEV=1 or INNGEST_EVENT_KEY set, Inngest runs the queue; otherwise the
  // server's own scheduler does.
  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_BASE_URL: z.string().url().optional(),
  /** Off switch for the embedded scheduler (tests, or when cron runs `npm run queue`). */
  QUEUE_SCHEDULER: z.enum(["on", "off"]).default("on"),
});

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; dataDir: string; embedded: boolean; inngestEnabled: boolean };

/**
 * The variables as the schema reads them: one set to nothing (`AUTH_URL=` in a .env file or a
 * service definition) counts as unset, so it takes its default instead of failing as "Invalid URL".
 */
const setToNothing = (value: string | undefined) => value !== undefined && value.trim() === "";
export const setVariables = (source: Record<string, string | undefined>) => Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && !setToNothing(v)));

/**
 * Set to nothing, these would quietly move data elsewhere (an embedded database, mail and SMS
 * written to the outbox and marked sent): in production that is a mistake to stop at, not a
 * default to take.
 */
const NOT_EMPTY_IN_PRODUCTION = ["DATABASE_URL", "SMTP_URL", "SMS_URL"] as const;

function load(): Env {
  if (process.env.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    const empty = NOT_EMPTY_IN_PRODUCTION.filter((name) => setToNothing(process.env[name]));
    if (empty.length) throw new Error(`Invalid environment:\n${empty.map((name) => `  ${name}: set to nothing; give it a value or remove it`).join("\n")}`);
  }
  // Auth.js reads AUTH_URL itself: one set to nothing would fail every sign-in, so it goes.
  if (setToNothing(process.env.AUTH_URL)) delete process.env.AUTH_URL;
  const parsed = schema.safeParse(setVariables(process.env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const embedded = !e.DATABASE_URL;
  let secret = e.AUTH_SECRET;
  if (!secret) {
    // `next build` runs with NODE_ENV=production but serves nothing: the check waits for start.
    const building = process.env.NEXT_PHASE === "phase-production-build";
    if (!embedded && e.NODE_ENV === "production" && !building) {
      throw new Error(
        "AUTH_SECRET is not set. In production (NODE_ENV=production with DATABASE_URL) chora refuses to start " +
          "without a real secret: generate one with `openssl rand -base64 32` and set AUTH_SECRET.",
      );
    }
    secret = embeddedSecret(dataDir);
  }
  const inngestEnabled = Boolean(e.INNGEST_EVENT_KEY) || e.INNGEST_DEV === "1" || e.INNGEST_DEV === "true";
  return { ...e, AUTH_SECRET: secret, dataDir, embedded, inngestEnabled };
}

/** The embedded default keeps its own secret under .data/ so sessions survive restarts. */
function embeddedSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const env: Env = load();

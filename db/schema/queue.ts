import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sites } from "./sites";
import { users } from "./users";


export const queueStatuses = ["pending", "sending", "sent", "error", "delivered"] as const;
export type QueueStatus = (typeof queueStatuses)[number];
export const channels = ["email", "sms"] as const;
export type Channel = (typeof channels)[number];

export type Attachment = { filename: string; contentType: string; contentBase64: string };

/** Content, stored once however many recipients it has. */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** What produced it (password_reset, password_changed, newsletter…), for filters and reports. */
    kind: text("kind").notNull(),
    subject: text("subject").notNull().default(""),
    html: text("html"),
    text: text("text").notNull().default(""),
    fromName: text("from_name").notNull().default(""),
    fromAddress: text("from_address").notNull().default(""),
    replyTo: text("reply_to"),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    attachments: jsonb("attachments").$type<Attachment[]>().notNull().default([]),
    /** A group SMS: its rows leave only within their site's SMS sending hours, as they are when sent. */
    keepsSmsHours: boolean("keeps_sms_hours").notNull().default(false),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("outbound_messages_site_idx").on(t.siteId, t.id)],
);

/** One row per recipient and channel: the unit that is sent, retried and tracked. */
export const queue = pgTable(
  "queue",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => outboundMessages.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: channels }).notNull().default("email"),
    /** Email address or E.164 phone number. */
    recipient: text("recipient").notNull(),
    recipientName: text("recipient_name").notNull().default(""),
    locale: text("locale"),
    variables: jsonb("variables").$type<Record<string, string>>().notNull().default({}),
    status: text("status", { enum: queueStatuses }).notNull().default("pending"),
    /**
     * A newsletter's row (lib/queue/enqueue.ts): runners take every due row that is not bulk
     * before any that is, so a password reset or a confirmation link queued behind a 100,000-address
     * newsletter leaves at once instead of after it.
     */
    bulk: boolean("bulk").notNull().default(false),
    /** Automatic attempts since the row was last put back to pending by hand. */
    attempts: integer("attempts").notNull().default(0),
    /** A transient failure: the retry runner may take it again once next_attempt_at is due. */
    retryable: boolean("retryable").notNull().default(false),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseToken: uuid("lease_token"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    /**
     * The account that gave provider_message_id (smsAccount of the SMS URL it went through): an
     * SMSC's ids are unique only within it, so a receipt heard on one account applies only to rows
     * sent through that account. Recorded at send time, so it stays right when a site later changes
     * provider. Null: sent before it was recorded (or by a transport without receipts).
     */
    providerAccount: text("provider_account"),
    /** A long SMS: the ids the SMSC gave its second and later parts, whose receipts say nothing more. */
    providerPartIds: text("provider_part_ids").array(),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    /** When the delivery receipt that ended the row came, saying delivered or not (SMS). */
    receiptAt: timestamp("receipt_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("queue_message_recipient_channel_key").on(t.messageId, t.recipient, t.channel),
    // What claimers scan, in the order they take rows (not bulk first): small, because sent rows leave it.
    index("queue_pending_idx").on(t.bulk, t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`),
    index("queue_retry_idx").on(t.bulk, t.nextAttemptAt, t.id).where(sql`${t.status} = 'error' and ${t.retryable}`),
    index("queue_sending_lease_idx").on(t.leaseExpiresAt).where(sql`${t.status} = 'sending'`),
    // The queue screen: newest first per site, optionally per status; recipient prefix search
    // (its page of ids comes from this index alone); date ranges ordered by (queued_at, id).
    // Every one leads with site_id: "all sites" is a page per site, merged (lib/queue/list.ts).
    index("queue_site_id_idx").on(t.siteId, t.id),
    index("queue_site_status_id_idx").on(t.siteId, t.status, t.id),
    index("queue_site_recipient_idx").on(t.siteId, sql`${t.recipient} text_pattern_ops`, t.id),
    index("queue_site_queued_at_id_idx").on(t.siteId, t.queuedAt, t.id),
    // The channel filter for SMS, usually the few rows beside a large newsletter's emails: without
    // these, a page of SMS walked past every email row (lib/queue/list.ts writes the channel as a
    // literal, so that even a generic prepared plan can use them). Emails are found as they are.
    index("queue_sms_site_id_idx").on(t.siteId, t.id).where(sql`${t.channel} = 'sms'`),
    index("queue_sms_site_status_id_idx").on(t.siteId, t.status, t.id).where(sql`${t.channel} = 'sms'`),
    // A subject search resolves to a few messages, then their rows in id order.
    index("queue_message_id_idx").on(t.messageId, t.id),
    // Delivery receipts find their row by the provider's id.
    index("queue_provider_message_idx").on(t.channel, t.providerMessageId).where(sql`${t.providerMessageId} is not null`),
    // Only long SMS have part ids: the index holds nothing for the rest.
    index("queue_provider_parts_idx").using("gin", t.providerPartIds).where(sql`${t.providerPartIds} is not null`),
  ],
);

/** Every change of status: when, from what, to what, by whom, and the error text. */
export const queueEvents = pgTable(
  "queue_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    queueId: bigint("queue_id", { mode: "number" })
      .notNull()
      .references(() => queue.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    /** `runner:<id>`, `user:<id>`, `lease-recovery`… */
    actor: text("actor").notNull(),
    error: text("error"),
  },
  (t) => [index("queue_events_queue_idx").on(t.queueId, t.id)],
);

/** A send or retry run, for the progress bar and the runner's summary. */
export const queueRuns = pgTable(
  "queue_runs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["send", "retry"] }).notNull(),
    runner: text("runner").notNull(),
    claimed: integer("claimed").notNull().default(0),
    sent: integer("sent").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    /** Rows given back because their sending hours were closed (they wait for them to open). */
    deferred: integer("deferred").notNull().default(0),
    recovered: integer("recovered").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("queue_runs_started_idx").on(t.startedAt)],
);

/**
 * Rows per site and status, kept by statement-level triggers on `queue` (migration
 * 0003_queue_status_counts): the queue screen polls its counts every second or two, and counting
 * a million rows each time would cost ~170 ms.
 */
export const queueStatusCounts = pgTable(
  "queue_status_counts",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    status: text("status", { enum: queueStatuses }).notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.status] })],
);

/**
 * Rows per message, status and retryable, kept by the same statement-level triggers as
 * queue_status_counts (migration 0040): a send's report polls its counts every few seconds, and
 * counting a 1,000,000-row send each time took ~0.7 s. No foreign key: a message's rows deleted
 * with it (cascade) are counted down by the trigger after the cascade, which a key to the deleted
 * message would refuse; its counters stay, at zero.
 */
export const messageStatusCounts = pgTable(
  "message_status_counts",
  {
    messageId: bigint("message_id", { mode: "number" }).notNull(),
    status: text("status", { enum: queueStatuses }).notNull(),
    retryable: boolean("retryable").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.status, t.retryable] })],
);

export type OutboundMessage = typeof outboundMessages.$inferSelect;
export type QueueRow = typeof queue.$inferSelect;
export type QueueEvent = typeof queueEvents.$inferSelect;

/**
 * Every delivery receipt heard (SMPP deliver_sm, Twilio status callback), kept whether or not it
 * matched a row: a receipt can arrive before its row is recorded `sent` (the SMSC answers faster
 * than the outcome is written), and is then applied when it is. One row per (channel, provider
 * id, vouching site, account, outcome), so a duplicate receipt changes nothing, and the same id
 * reported by two SMSCs is two receipts.
 */
export const queueReceipts = pgTable(
  "queue_receipts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    channel: text("channel", { enum: channels }).notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    /** The site whose credentials vouched for it (Twilio's signature); null: any site (SMPP). */
    siteId: integer("site_id").references(() => sites.id, { onDelete: "cascade" }),
    /** The account it was heard on (SMPP: smsAccount of the session's URL); null: any account (Twilio, whose ids are unique). */
    providerAccount: text("provider_account"),
    delivered: boolean("delivered").notNull(),
    reason: text("reason"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** When it changed its row; null while no sent row carries this provider id. */
    appliedAt: timestamp("applied_at", { withTimezone: true }),
  },
  (t) => [
    // Per vouching site and account too: a receipt signed with one site's credentials, or heard on
    // one SMPP account, never blocks another's for the same id.
    uniqueIndex("queue_receipts_key").on(t.channel, t.providerMessageId, sql`coalesce(${t.siteId}, 0)`, sql`coalesce(${t.providerAccount}, '')`, t.delivered),
    index("queue_receipts_unapplied_idx").on(t.channel, t.providerMessageId).where(sql`${t.appliedAt} is null`),
  ],
);

import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { outboundMessages } from "./queue";
import { sites } from "./sites";
import { users } from "./users";

export const subscriptionStatuses = ["unconfirmed", "confirmed", "unsubscribed"] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
export const subscriptionSources = ["screen", "signup", "import"] as const;
/** What a message template is sent as: an email (subject, HTML, text) or an SMS (the text only). */
export const templateChannels = ["email", "sms"] as const;
export type TemplateChannel = (typeof templateChannels)[number];

/**
 * One address in one subscriber group of a site. A group is an integer whose label is the
 * translation key `signup_opt<group>`. `phone` (E.164, optional) is where the group's SMS templates go.
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    groupId: integer("group_id").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    name: text("name").notNull().default(""),
    locale: text("locale"),
    // When `locale` was last stated (signup, confirmation, add, import, "Set language"), null while
    // it is not: the person's language is their latest stated one (newestLanguage in
    // lib/newsletters/audience-language.ts), which `updated_at`, bumped by any edit, cannot tell.
    localeSetAt: timestamp("locale_set_at", { withTimezone: true }),
    status: text("status", { enum: subscriptionStatuses }).notNull().default("unconfirmed"),
    source: text("source", { enum: subscriptionSources }).notNull(),
    // Consent record: when, from where, and the very text the person agreed to.
    consentAt: timestamp("consent_at", { withTimezone: true }),
    consentIp: text("consent_ip"),
    consentUserAgent: text("consent_user_agent"),
    consentText: text("consent_text"),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscriptions_site_group_email_key").on(t.siteId, t.groupId, t.email),
    index("subscriptions_group_status_idx").on(t.siteId, t.groupId, t.status, t.id),
    // A group's screen without a status filter: its rows newest first, without walking the
    // other groups' rows along the primary key.
    index("subscriptions_site_group_id_idx").on(t.siteId, t.groupId, t.id),
    // The group screen's address search is a prefix (subscriptionsWhere): the group's matches
    // only, instead of the whole site's through subscriptions_site_email_idx.
    index("subscriptions_site_group_email_idx").on(t.siteId, t.groupId, sql`${t.email} text_pattern_ops`),
    index("subscriptions_site_email_idx").on(t.siteId, sql`${t.email} text_pattern_ops`),
    // SMS sends check pasted numbers against the site's subscriptions (unsubscribed, suppressed).
    index("subscriptions_site_phone_idx").on(t.siteId, t.phone).where(sql`${t.phone} is not null`),
    // The SMS send dialog counts a group's numbers from here, in number order and without reading
    // the table (lib/newsletters/sms-audience-count.ts); `email` finds the suppressed addresses' rows.
    index("subscriptions_sms_numbers_idx")
      .on(t.siteId, t.groupId, t.phone, t.email)
      .where(sql`${t.status} = 'confirmed' and ${t.phone} is not null`),
  ],
);

/**
 * Subscriptions per site, group and status, kept by statement-level triggers on `subscriptions`
 * (migration 0035_newsletter_scale, as queue_status_counts is for the queue): the
 * Subscriptions screen and each group's page show these counts on every view, and counting a
 * site's million subscriptions each time took 0.3 to 1.5 s. A row whose count fell to 0 stays.
 */
export const subscriptionCounts = pgTable(
  "subscription_counts",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    groupId: integer("group_id").notNull(),
    status: text("status", { enum: subscriptionStatuses }).notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.groupId, t.status] })],
);

/**
 * A confirmation link a signup emailed (double opt-in), one per email sent: every link a person
 * holds works until it is used or expires (lib/newsletters/signup.ts), and confirming records
 * the consent of the request whose email was clicked. Only the token's SHA-256 is kept. Leaving
 * a group takes it out of the links; leaving everything, or an erasure, deletes them.
 */
export const signupConfirmations = pgTable(
  "signup_confirmations",
  {
    tokenHash: text("token_hash").primaryKey(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    groupIds: integer("group_ids").array().notNull(),
    /** The language the signup was made in: the newsletters' once confirmed. */
    locale: text("locale").notNull(),
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull().defaultNow(),
    consentIp: text("consent_ip"),
    consentUserAgent: text("consent_user_agent"),
    consentText: text("consent_text"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("signup_confirmations_site_email_idx").on(t.siteId, t.email), index("signup_confirmations_sent_at_idx").on(t.sentAt)],
);

export type SignupConfirmation = typeof signupConfirmations.$inferSelect;

/**
 * One per address and site: its unguessable unsubscribe token (random, not derived from any id)
 * and whether it asked never to receive a newsletter again (`suppressedAt`).
 */
export const subscriberKeys = pgTable(
  "subscriber_keys",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    token: text("token").notNull(),
    suppressedAt: timestamp("suppressed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscriber_keys_site_email_key").on(t.siteId, t.email),
    uniqueIndex("subscriber_keys_token_key").on(t.token),
    // The send dialog's count leaves out a site's suppressed addresses (lib/newsletters/email-audience.ts,
    // emailCount): read from here, a few rows, instead of the key of every address.
    index("subscriber_keys_suppressed_idx").on(t.siteId, t.email).where(sql`${t.suppressedAt} is not null`),
  ],
);

export const messageTemplates = pgTable(
  "message_templates",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** An SMS template sends `text` to the groups' phone numbers; subject, HTML and sender are kept but unused. */
    channel: text("channel", { enum: templateChannels }).notNull().default("email"),
    subject: text("subject").notNull().default(""),
    html: text("html").notNull().default(""),
    text: text("text").notNull().default(""),
    /** The text part was edited by hand: stop regenerating it from the HTML. */
    textEdited: boolean("text_edited").notNull().default(false),
    fromName: text("from_name").notNull().default(""),
    fromAddress: text("from_address").notNull().default(""),
    replyTo: text("reply_to"),
    groupIds: jsonb("group_ids").$type<number[]>().notNull().default([]),
    /**
     * Only the groups' subscribers who read this language receive it (their signup's language,
     * or the site's when none is known); null: everyone. A bilingual site sends one template per
     * language. Pasted recipients were chosen by hand and always receive it.
     */
    audienceLocale: text("audience_locale"),
    /** Addresses pasted by hand, one per line (or separated by commas/semicolons). */
    pastedRecipients: text("pasted_recipients").notNull().default(""),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("message_templates_site_idx").on(t.siteId, t.id)],
);

export const newsletterSendStatuses = ["scheduled", "queued", "cancelled"] as const;

/** One "Send" of a template: a snapshot queued now or at `scheduledAt`, and its report. */
export const newsletterSends = pgTable(
  "newsletter_sends",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    templateId: integer("template_id").references(() => messageTemplates.id, { onDelete: "set null" }),
    messageId: bigint("message_id", { mode: "number" }).references(() => outboundMessages.id, { onDelete: "set null" }),
    status: text("status", { enum: newsletterSendStatuses }).notNull(),
    subject: text("subject").notNull(),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    recipientCount: integer("recipient_count").notNull().default(0),
    /**
     * A queued SMS send's segments in all, worked out once for its report (reportSegments): its
     * rows' texts never change once queued, and counting 300,000 of them took seconds per view.
     * Null until then, and for an email send.
     */
    segments: integer("segments"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The one-time key the send dialog drew when it opened (null: sent without one). The same
     * request arriving twice (a retry after a lost answer) finds this send instead of making another.
     */
    requestKey: text("request_key"),
  },
  (t) => [
    index("newsletter_sends_site_idx").on(t.siteId, t.id),
    uniqueIndex("newsletter_sends_request_key").on(t.siteId, t.requestKey),
    index("newsletter_sends_due_idx").on(t.scheduledAt).where(sql`${t.status} = 'scheduled'`),
    // The runner's per-batch unsubscription check finds a newsletter row's send by its message
    // (lib/newsletters/left-the-audience.ts); deleting a message looks here too.
    index("newsletter_sends_message_idx").on(t.messageId).where(sql`${t.messageId} is not null`),
  ],
);

export type Subscription = typeof subscriptions.$inferSelect;
export type MessageTemplate = typeof messageTemplates.$inferSelect;
export type NewsletterSend = typeof newsletterSends.$inferSelect;

export const smsOptOutSources = ["reply", "provider", "admin"] as const;
export type SmsOptOutSource = (typeof smsOptOutSources)[number];

/**
 * Numbers that answered an SMS with an opt-out keyword (STOP, STOP SMS, ARRET…) through the
 * site's SMS account: the site's SMS sends to groups leave them out from then on, whatever the
 * subscriptions say (a later import or edit cannot bring them back). Emails are not affected.
 */
export const smsOptOuts = pgTable(
  "sms_opt_outs",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** E.164, like subscriptions.phone. */
    phone: text("phone").notNull(),
    /** The keyword as received, for the record ("" when an admin added the number). */
    keyword: text("keyword").notNull(),
    /** How chora learnt it: the person's reply, the provider refusing a send, or an admin. */
    source: text("source", { enum: smsOptOutSources }).notNull().default("reply"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.phone] }),
    // The opt-out screen: newest first, paged by (received_at, phone).
    index("sms_opt_outs_site_received_idx").on(t.siteId, t.receivedAt, t.phone),
  ],
);

export const smsReplyActions = ["opt_out", "opt_in"] as const;
export type SmsReplyAction = (typeof smsReplyActions)[number];

/**
 * Every SMS people send to a site's number (replies to its SMS), as the SMS account received it:
 * read in the SMS replies screen. `action`: what the reply did (a STOP recorded an opt-out, a
 * START took one back), null for an ordinary message.
 */
export const smsReplies = pgTable(
  "sms_replies",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** E.164 when the sender is a number, else as the SMSC gave it. */
    phone: text("phone").notNull(),
    text: text("text").notNull(),
    action: text("action", { enum: smsReplyActions }),
    /** The provider's id for the SMS (Twilio's MessageSid): a repeated delivery is kept once. */
    providerId: text("provider_id"),
    /**
     * Who wrote, to which number, on which SMS account (a hash, lib/sms/keep-reply.ts): an SMPP
     * SMSC gives an SMS no id, so one delivered again is known by its conversation and text.
     */
    conversationKey: text("conversation_key"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** How many answers an admin sent to it, and the latest one's message (its queue row tells how it went). */
    answers: integer("answers").notNull().default(0),
    answerMessageId: bigint("answer_message_id", { mode: "number" }).references(() => outboundMessages.id, { onDelete: "set null" }),
  },
  (t) => [
    index("sms_replies_site_id_idx").on(t.siteId, t.id),
    index("sms_replies_site_phone_idx").on(t.siteId, t.phone, t.id),
    uniqueIndex("sms_replies_site_provider_key").on(t.siteId, t.providerId).where(sql`${t.providerId} is not null`),
    // The latest SMS of a conversation, read for each SMPP reply that comes.
    index("sms_replies_conversation_idx").on(t.conversationKey, t.id).where(sql`${t.conversationKey} is not null`),
    // The retention purge finds the oldest at once however long the list.
    index("sms_replies_received_idx").on(t.receivedAt),
    // "Answered" in the replies screen: the few answered ones found without reading the rest.
    index("sms_replies_site_answered_idx").on(t.siteId, t.id).where(sql`${t.answers} > 0`),
    // Deleting a message checks the replies that name it as their answer.
    index("sms_replies_answer_message_idx").on(t.answerMessageId).where(sql`${t.answerMessageId} is not null`),
  ],
);
export type SmsReplyRow = typeof smsReplies.$inferSelect;

/**
 * Parts of a long SMS someone sent (concatenated, UDH or SAR), waiting for the rest. When the
 * last part arrives the whole text becomes one reply and the parts are marked joined, and kept
 * a while so that a part the SMSC delivers again is known; parts still waiting after a while
 * are kept as they are (see lib/sms/inbound-parts.ts). Keyed by the SMS account, both numbers
 * and the sender's reference.
 */
export const smsInboundParts = pgTable(
  "sms_inbound_parts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    account: text("account").notNull(),
    sender: text("sender").notNull(),
    recipient: text("recipient").notNull(),
    ref: integer("ref").notNull(),
    total: integer("total").notNull(),
    seq: integer("seq").notNull(),
    /**
     * The part's UTF-16 code units, base64: an emoji split between two UCS-2 parts leaves half
     * of it in each, which PostgreSQL text cannot hold; joined, the halves meet again.
     */
    utf16: text("utf16").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** When its message was joined (or kept incomplete); null while it waits. */
    joinedAt: timestamp("joined_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("sms_inbound_parts_key").on(t.account, t.sender, t.recipient, t.ref, t.total, t.seq),
    index("sms_inbound_parts_received_idx").on(t.receivedAt),
  ],
);

/**
 * Addresses erased on request (GDPR art. 17) from a site: every subscription and key of the
 * address is gone, and this keyed hash of it (lib/newsletters/erase.ts) is all that remains, so
 * that an administrator's add, paste or import of an old list does not bring it back. Only the
 * person's own confirmed signup lifts it. `email_hash` also holds the keyed hash of each number
 * the person had (erasedPhoneHash, another prefix), which no list may give anyone again.
 */
export const erasedSubscribers = pgTable(
  "erased_subscribers",
  {
    siteId: integer("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    emailHash: text("email_hash").notNull(),
    erasedAt: timestamp("erased_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.emailHash] })],
);

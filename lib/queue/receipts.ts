import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Channel } from "@/db/schema";
import { NOT_DELIVERED_NOTE } from "./notes";

/**
 * How long a receipt may wait for its row. Early receipts beat the outcome write by milliseconds;
 * one older than this names an id this installation never sent (or a provider that reuses ids)
 * and must not land on a later message that happens to get the same id.
 */
const EARLY_RECEIPT_MINUTES = 10;

/** How long receipts are kept once their waiting time is over: for the record, then deleted. */
export const RECEIPT_RETENTION_DAYS = 7;

/**
 * How far back a receipt looks for its row (and a later part's id for its message). SMSCs that
 * restart or wrap their numbering give old ids to new messages: a receipt speaks for the latest
 * SMS sent with its id, never for one from weeks ago that happened to get it too.
 */
export const RECEIPT_LOOKBACK_DAYS = 7;

/** "part": the receipt of a long SMS's later part (the first part's receipt speaks for the message). */
export type ReceiptResult = "applied" | "duplicate" | "early" | "part";

/**
 * Whether queue row `q` may be the one a receipt names, given who vouched for the receipt: a
 * site (Twilio's signature) and the account it was heard on (SMPP ids are unique only within one
 * SMSC). A row with no account was sent before accounts were recorded: found by its id alone.
 */
const vouched = (siteId: SQL, account: SQL) => sql`(${siteId} is null or q.site_id = ${siteId})
           and (${account} is null or q.provider_account is null or q.provider_account = ${account})`;

/** Sent recently enough to be what an id names now (a hand-written row without sent_at: by its last change). */
const recent = sql`coalesce(q.sent_at, q.updated_at) > now() - make_interval(days => ${RECEIPT_LOOKBACK_DAYS})`;

/**
 * The one row a receipt names: the latest sent with that id through a matching site and account.
 * Its status is returned too, since only a `sent` row takes the receipt: when the latest row with
 * the id is already delivered, failed or being resent, an older `sent` one is not about it either.
 */
const namedRow = (channel: SQL, providerMessageId: SQL, siteId: SQL, account: SQL) => sql`
        select q.id, q.status from queue q
         where q.channel = ${channel} and q.provider_message_id = ${providerMessageId}
           and ${vouched(siteId, account)} and ${recent}
         order by coalesce(q.sent_at, q.updated_at) desc, q.id desc
         limit 1`;

/**
 * A delivery receipt (SMS delivery report, email DSN) for a sent row, found by the id the
 * provider gave it. `delivered` is only ever set here: sending alone never claims delivery.
 * A negative receipt turns the row to `error` (permanent) with the provider's reason.
 *
 * Idempotent and order-proof: every receipt is kept in `queue_receipts` (one per provider id,
 * vouching site, account and outcome). One that finds its row `sent` applies at once; a
 * duplicate, or one for a row already delivered or failed, changes nothing; one that finds no sent
 * row yet ("early": the provider answered before the runner wrote its outcome, or an id this
 * installation never sent) waits, and `applyEarlyReceipts` applies it when the row is recorded sent.
 */
export async function recordReceipt(input: {
  channel: Channel;
  providerMessageId: string;
  delivered: boolean;
  reason?: string;
  actor: string;
  /** Only this site's rows: a receipt authenticated with one site's credentials (Twilio). */
  siteId?: number;
  /** Only rows sent through this account (smsAccount): the SMPP session the receipt was heard on. */
  account?: string;
}): Promise<ReceiptResult> {
  const reason = input.delivered ? null : (input.reason ?? NOT_DELIVERED_NOTE).slice(0, 2000);
  const siteId = sql`${input.siteId ?? null}::int`;
  const account = sql`${input.account ?? null}::text`;
  const result = await db.execute(sql`
    with part as (
      -- A later part of a long SMS sent by some process of this installation: nothing to record.
      -- Recent rows only: an SMSC that restarts its numbering may give an old part's id to a new message.
      select exists (
        select 1 from queue q where q.channel = ${input.channel} and q.provider_part_ids @> array[${input.providerMessageId}]::text[]
           and q.sent_at > now() - make_interval(days => ${RECEIPT_LOOKBACK_DAYS}) and ${vouched(siteId, account)}) as later
    ), sent as (
      -- Whether the row is there to apply it to now: the receipt is then stored applied. (The
      -- update below cannot mark it: a statement does not see the rows it inserts.)
      select exists (
        select 1 from (${namedRow(sql`${input.channel}`, sql`${input.providerMessageId}`, siteId, account)}) row where row.status = 'sent') as found
    ), receipt as (
      insert into queue_receipts (channel, provider_message_id, site_id, provider_account, delivered, reason, applied_at)
      select ${input.channel}, ${input.providerMessageId}, ${siteId}, ${account}, ${input.delivered}, ${reason}::text,
             case when (select found from sent) then now() end
      -- A later part, unless a row names it as its own first id (the SMSC reused an old part's id).
      where not ((select later from part) and not (select found from sent))
      -- The same receipt again within the waiting time is a duplicate; much later, the provider
      -- has reused the id for another message, and the receipt counts anew.
      on conflict (channel, provider_message_id, coalesce(site_id, 0), coalesce(provider_account, ''), delivered) do update
        set received_at = now(), applied_at = excluded.applied_at, reason = excluded.reason
        where queue_receipts.received_at < now() - make_interval(mins => ${EARLY_RECEIPT_MINUTES})
      returning id
    ), ${applyCtes(sql`select id, ${input.channel}::text as channel, ${input.providerMessageId}::text as provider_message_id, ${siteId} as site_id, ${account} as provider_account, ${input.delivered}::boolean as delivered, ${reason}::text as reason from receipt`, input.actor)}
    select (select later from part) as later, (select found from sent) as found, (select count(*) from receipt)::int as stored, (select count(*) from updated)::int as applied`);
  const [r] = rows<{ later: boolean; found: boolean; stored: number; applied: number }>(result);
  if (r?.later && !r.found) return "part";
  if (Number(r?.applied) > 0) return "applied";
  return Number(r?.stored) > 0 ? "early" : "duplicate";
}

/**
 * Receipts that arrived before their rows were recorded `sent`, applied now: those naming
 * `providerMessageIds` (runners call it after recording SMS outcomes: one indexed lookup when
 * nothing waits), or every waiting one (at the start and end of a run, which also catches a
 * receipt stored while the outcome naming it was being committed).
 */
export async function applyEarlyReceipts(actor: string, only?: { channel: Channel; providerMessageIds: string[] }): Promise<number> {
  if (only && only.providerMessageIds.length === 0) return 0;
  const which = only
    ? sql`and channel = ${only.channel} and provider_message_id = any(string_to_array(${only.providerMessageIds.join(",")}, ','))`
    : sql``;
  const waiting = sql`from queue_receipts where applied_at is null and received_at > now() - make_interval(mins => ${EARLY_RECEIPT_MINUTES}) ${which}`;
  // Almost always nothing waits: one lookup in the index of unapplied receipts, and done.
  const [any] = rows<{ found: boolean }>(await db.execute(sql`select exists (select 1 ${waiting}) as found`));
  if (!any?.found) return 0;
  const result = await db.execute(sql`
    with ${applyCtes(sql`select id, channel, provider_message_id, site_id, provider_account, delivered, reason ${waiting}`, actor)}
    select count(*)::int as n from updated`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * Common table expressions (PostgreSQL wants data-modifying ones at the top level) that apply
 * the receipts `receipts` selects to the sent rows they name, write the history and mark the
 * receipts applied; `updated` holds the rows changed.
 */
function applyCtes(receipts: SQL, actor: string) {
  // Each receipt looks up its row (a lateral lookup in the provider-id index, then the latest of
  // the few rows with that id), and the rows are then updated by id. Joining `queue` to the
  // receipts directly let the planner walk every sent row of the channel once per statement
  // (5 ms at 10,000 rows, for each receipt recorded).
  return sql`
    r as materialized (${receipts}),
    target as materialized (
      -- One receipt per row: of two that waited for it (delivered, then not), the first heard,
      -- as it would have been had the row been sent already (the second then finds it final).
      select distinct on (row.id) row.id as queue_id, r.id as receipt_id, r.delivered, r.reason from r
      cross join lateral (${namedRow(sql`r.channel`, sql`r.provider_message_id`, sql`r.site_id`, sql`r.provider_account`)}) row
      where row.status = 'sent'
      order by row.id, r.id
    ),
    updated as (
      update queue q set status = case when t.delivered then 'delivered' else 'error' end,
        delivered_at = case when t.delivered then now() else q.delivered_at end,
        receipt_at = now(),
        last_error = case when t.delivered then q.last_error else t.reason end,
        retryable = false, updated_at = now()
      from target t
      where q.id = any(array(select queue_id from target)) and q.id = t.queue_id and q.status = 'sent'
      returning q.id, q.status, t.receipt_id, t.reason
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, 'sent', status, ${actor}, case when status = 'error' then reason end from updated
    ), marked as (
      update queue_receipts set applied_at = now() where id in (select receipt_id from updated)
    )`;
}

/**
 * Deletes receipts older than RECEIPT_RETENTION_DAYS, oldest first and at most `limit` per call
 * (the retry pass calls it every 5 minutes, so a backlog drains without one long delete). A
 * receipt past its waiting time decides nothing any more: a late duplicate finds its row
 * already delivered or failed and changes nothing.
 */
export async function purgeOldReceipts(limit = 5_000): Promise<number> {
  const result = await db.execute(sql`
    with old as (
      delete from queue_receipts where id in (
        select id from queue_receipts
         where received_at < now() - make_interval(days => ${RECEIPT_RETENTION_DAYS})
         order by id limit ${limit}
      )
      returning 1
    )
    select count(*)::int as n from old`);
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { Channel } from "@/db/schema";
import { NOT_DELIVERED_NOTE, PART_NOT_DELIVERED_FORMAT } from "./notes";
import { RECEIPT_LOOKBACK_DAYS } from "./receipt-window";

/**
 * How long a receipt may wait for its row. Early receipts beat the outcome write by milliseconds;
 * one older than this names an id this installation never sent (or a provider that reuses ids)
 * and must not land on a later message that happens to get the same id.
 */
const EARLY_RECEIPT_MINUTES = 10;

/** How long receipts are kept once their waiting time is over: for the record, then deleted. */
export const RECEIPT_RETENTION_DAYS = 7;

/** How far back a receipt looks for its row: receipt-window.ts (no database there, for the browser). */
export { RECEIPT_LOOKBACK_DAYS };

/** "part": a long SMS's later part reported delivered (nothing to record: see recordReceipt). */
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
 * The one row a receipt names: the latest sent with that id through a matching site and account,
 * whether the id is the row's own (its first part's: `part` 1) or one of its later parts' (a
 * long SMS: `part` 2 and on, of `parts`). Its status is returned too, since only a `sent` row takes
 * the receipt (or a `delivered` one, a later part's failure): when the latest row with the id is
 * already final or being resent, an older `sent` one is not about it either. The status is read
 * again, locked, before anything is written (locked below).
 */
const namedRow = (channel: SQL, providerMessageId: SQL, siteId: SQL, account: SQL) => sql`
        select n.id, n.status, n.part, n.parts from (
          (select q.id, q.status, 1 as part, 1 + coalesce(array_length(q.provider_part_ids, 1), 0) as parts, coalesce(q.sent_at, q.updated_at) as at
             from queue q
            where q.channel = ${channel} and q.provider_message_id = ${providerMessageId}
              and ${vouched(siteId, account)} and ${recent}
            order by at desc, q.id desc
            limit 1)
          union all
          -- Recent rows only, as above: an SMSC that restarts its numbering gives an old part's id to a new message.
          (select q.id, q.status, 1 + array_position(q.provider_part_ids, ${providerMessageId}) as part, 1 + array_length(q.provider_part_ids, 1) as parts,
                  coalesce(q.sent_at, q.updated_at) as at
             from queue q
            where q.channel = ${channel} and q.provider_part_ids @> array[${providerMessageId}]::text[]
              and ${vouched(siteId, account)} and ${recent}
            order by at desc, q.id desc
            limit 1)
        ) n
        -- Sent at the same moment (a reused id within one send is not possible): its own id first.
        order by n.at desc, n.part, n.id desc
        limit 1`;

/**
 * What `delivered` means for a long SMS: its first part's DELIVRD makes the row delivered, as for
 * any SMS; a later part's DELIVRD is not waited for (many SMSCs send none for later parts) and
 * changes nothing. A later part's failure (UNDELIV, EXPIRED, REJECTD…) ends the row in `error`,
 * named "part 2 of 3 not delivered: UNDELIV err:034", before or after the first part's receipt:
 * the phone shows the message cut short, or not at all. So a `delivered` row may still turn to
 * `error` when a later part's failure comes after the first part's DELIVRD; an `error` row never
 * turns back.
 */
const takes = (part: SQL, delivered: SQL, status: SQL) =>
  sql`((${part} = 1 and ${status} = 'sent') or (${part} > 1 and not ${delivered} and ${status} in ('sent', 'delivered')))`;

/**
 * The rows that may take a receipt, locked (in id order, as the queue's other writers of many
 * rows lock them) with their status as it is now, not as the statement's snapshot saw it: the
 * first part's DELIVRD and a later part's UNDELIV are often heard together and stored on two
 * connections at once. The second decides on the status the first left, so the failure is
 * never lost behind a `delivered` written meanwhile.
 */
const lockedRows = (ids: SQL) => sql`select q.id, q.status from queue q where q.id = any(array(${ids})) order by q.id for update`;

/**
 * A delivery receipt (SMS delivery report, email DSN) for a sent row, found by the id the
 * provider gave it. `delivered` is only ever set here: sending alone never claims delivery.
 * A negative receipt turns the row to `error` (permanent) with the provider's reason. The
 * receipt of a long SMS's later part is found by the part ids kept with the row (`takes` says
 * what it does): a DELIVRD is not even stored ("part"), a failure is, like any receipt.
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
    with its_row as materialized (${namedRow(sql`${input.channel}`, sql`${input.providerMessageId}`, siteId, account)}),
    its_lock as materialized (${lockedRows(sql`select id from its_row where ${takes(sql`part`, sql`${input.delivered}`, sql`status`)}`)}),
    found as (
      -- Whether the receipt applies now: it is then stored applied. (The update below cannot mark
      -- it: a statement does not see the rows it inserts.)
      select exists (select 1 from its_row n join its_lock l on l.id = n.id where ${takes(sql`n.part`, sql`${input.delivered}`, sql`l.status`)}) as applies,
             coalesce((select part > 1 from its_row), false) as later
    ), receipt as (
      insert into queue_receipts (channel, provider_message_id, site_id, provider_account, delivered, reason, applied_at)
      select ${input.channel}, ${input.providerMessageId}, ${siteId}, ${account}, ${input.delivered}, ${reason}::text,
             case when (select applies from found) then now() end
      -- A later part's DELIVRD, unless the id is also a newer row's own (the SMSC reused an old part's id).
      where not ((select later from found) and ${input.delivered})
      -- The same receipt again within the waiting time is a duplicate; much later, the provider
      -- has reused the id for another message, and the receipt counts anew.
      on conflict (channel, provider_message_id, coalesce(site_id, 0), coalesce(provider_account, ''), delivered) do update
        set received_at = now(), applied_at = excluded.applied_at, reason = excluded.reason
        where queue_receipts.received_at < now() - make_interval(mins => ${EARLY_RECEIPT_MINUTES})
      returning id
    ), ${applyCtes(sql`select id, ${input.channel}::text as channel, ${input.providerMessageId}::text as provider_message_id, ${siteId} as site_id, ${account} as provider_account, ${input.delivered}::boolean as delivered, ${reason}::text as reason from receipt`, input.actor)}
    select (select later from found) as later, (select count(*) from receipt)::int as stored, (select count(*) from updated)::int as applied`);
  const [r] = rows<{ later: boolean; stored: number; applied: number }>(result);
  if (r?.later && input.delivered) return "part";
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
  // Each receipt looks up its row (a lateral lookup in the provider-id indexes, then the latest of
  // the few rows with that id), and the rows are then updated by id. Joining `queue` to the
  // receipts directly let the planner walk every sent row of the channel once per statement
  // (5 ms at 10,000 rows, for each receipt recorded).
  return sql`
    r as materialized (${receipts}),
    named as materialized (
      select r.id as receipt_id, r.delivered, r.reason, row.id as queue_id, row.status, row.part, row.parts from r
      cross join lateral (${namedRow(sql`r.channel`, sql`r.provider_message_id`, sql`r.site_id`, sql`r.provider_account`)}) row
      -- Rows that may take it as the statement's snapshot saw them (a later part's DELIVRD never
      -- does); whether they still may, locked, is read below.
      where ${takes(sql`row.part`, sql`r.delivered`, sql`row.status`)}
    ),
    locked as materialized (${lockedRows(sql`select queue_id from named`)}),
    target as materialized (
      -- One receipt per row. Of those that waited for it, the first part's first heard (delivered,
      -- then not: delivered, as it would have been had the row been sent already, the second then
      -- finding it final), unless a later part failed: a failure wins over a delivery, and of two
      -- failures the first heard is kept.
      select distinct on (n.queue_id) n.queue_id, n.receipt_id, n.delivered, l.status as previous,
        case when n.part = 1 then n.reason
             else format(${PART_NOT_DELIVERED_FORMAT}::text, n.part, n.parts) || coalesce(': ' || nullif(n.reason, ${NOT_DELIVERED_NOTE}), '') end as reason
      from (select named.*, row_number() over (partition by queue_id, part > 1 order by receipt_id) as nth from named) n
      join locked l on l.id = n.queue_id
      where ${takes(sql`n.part`, sql`n.delivered`, sql`l.status`)} and (n.part > 1 or n.nth = 1)
      order by n.queue_id, n.delivered, n.receipt_id
    ),
    updated as (
      update queue q set status = case when t.delivered then 'delivered' else 'error' end,
        -- A row in error was not delivered, even when its first part was.
        delivered_at = case when t.delivered then now() end,
        receipt_at = now(),
        last_error = case when t.delivered then q.last_error else t.reason end,
        retryable = false, updated_at = now()
      from target t
      -- By id alone: the row is locked with the status "previous" (locked, above), where a
      -- condition on its status would be read in the statement's snapshot, which may be older.
      where q.id = any(array(select queue_id from target)) and q.id = t.queue_id
      returning q.id, q.status, t.previous, t.receipt_id, t.reason
    ), history as (
      insert into queue_events (queue_id, from_status, to_status, actor, error)
      select id, previous, status, ${actor}, case when status = 'error' then reason end from updated
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

import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { parseAddressList } from "./addresses";
import type { AudienceSpec } from "./audience";
import { confirmedIn, erased, inGroups, leftAGroup, suppressed } from "./audience-conditions";
import { groupedLanguage, languageOf, personLanguage } from "./audience-language";
import { erasedHash } from "./erase";
import { ensureTokens } from "./keys";

/** Addresses with the keyed hash erased_subscribers knows them by (SQL cannot make it: the key is the app's). */
const withHashes = (emails: string[], names = new Map<string, string>()) =>
  JSON.stringify(emails.map((email) => ({ email, email_hash: erasedHash(email), name: names.get(email) ?? "" })));

/**
 * Everyone a send reaches, deduplicated across groups and the pasted list: confirmed members of
 * the groups, plus pasted addresses; never a suppressed address (it left everything: the lateral
 * join on its key in emailAudienceRows), and never a pasted address that unsubscribed from any
 * group of the site (`allowed`) or was erased from it (an erased address has no subscription
 * left to come from a group).
 */
function candidates(spec: AudienceSpec): SQL {
  const list = parseAddressList(spec.pasted);
  const pasted = withHashes(list.valid, list.names);
  // For one language's readers, the groups give a person only in that language (personLanguage);
  // a pasted address comes all the same, as pasted (`from_group` false: `allowed` checks it).
  const fromGroup = spec.readers ? sql`coalesce(${personLanguage()} = ${spec.readers}, false)` : sql`bool_or(w.from_group)`;
  return sql`
    select c.email, c.name, c.locale, c.from_group from (
      select w.email, coalesce(nullif(max(w.name) filter (where w.from_group), ''), max(w.name)) as name,
             ${spec.readers ? sql`${personLanguage()}` : sql`max(w.locale)`} as locale,
             ${fromGroup} as from_group, bool_or(not w.from_group) as pasted
      from (
        select s.email, s.name, s.locale, ${languageOf(spec.siteLocale)} as lang, s.locale_set_at, s.id, true as from_group
          from subscriptions s
         where ${confirmedIn(spec.siteId, inGroups(spec.groupIds))}
        union all
        select p.email, coalesce(p.name, ''), null, null, null, null, false from jsonb_to_recordset(${pasted}::jsonb) as p(email text, email_hash text, name text)
         where not ${erased(spec.siteId, sql`p.email_hash`)}
      ) as w
      group by w.email
    ) as c
    where c.from_group or c.pasted`;
}

/** A candidate the groups do not give (pasted only) comes unless it left some group of the site. */
const allowed = (spec: AudienceSpec): SQL => sql`c.from_group or not ${leftAGroup(spec.siteId, sql`c.email`)}`;

/**
 * The recipients of an email send as the queue's bulk enqueue wants them (recipient,
 * recipient_name, locale, variables), each with their unsubscribe URL. Gives every candidate a
 * token first.
 */
export async function emailAudienceRows(spec: AudienceSpec, unsubscribeBase: string, tx: Pick<typeof db, "execute">): Promise<SQL> {
  await ensureTokens(spec.siteId, sql`select email from (${candidates(spec)}) as c`, tx);
  return sql`
    select c.email as recipient, c.name as recipient_name, c.locale,
           jsonb_build_object('name', c.name, 'email', c.email, 'unsubscribe_url', ${unsubscribeBase} || '/api/unsubscribe/' || k.token) as variables
    from (${candidates(spec)}) as c
    -- A lateral lookup per candidate: the tokens were inserted a moment ago in this transaction,
    -- so the planner's statistics still see an empty table and a plain join goes quadratic.
    cross join lateral (
      select k.token from subscriber_keys k
       where k.site_id = ${spec.siteId} and k.email = c.email and k.suppressed_at is null
       limit 1) as k
    where ${allowed(spec)}`;
}

/**
 * The number of addresses emailAudienceRows would give, without building its rows: `candidates`
 * grouped every address with its name and joined each to subscriber_keys, a loop per address
 * (8 s for a group of 900,000). The same people, counted in two disjoint parts: the groups'
 * distinct confirmed addresses less the site's suppressed ones (an anti-join on the few
 * suppressed keys, subscriber_keys_suppressed_idx), plus the pasted addresses that no group
 * already gives, each checked on its own like `candidates` and `allowed` do (the pasted list is
 * short: at most TEMPLATE_LIMITS.pasted characters).
 */
export async function emailCount(spec: AudienceSpec): Promise<number> {
  const groupIds = [...new Set(spec.groupIds)];
  // One group's addresses are distinct already (subscriptions_site_group_email_key): deduplicating
  // 800,000 of them would take most of the time, for nothing.
  const distinct = groupIds.length > 1 ? sql`distinct` : sql``;
  const pasted = withHashes(parseAddressList(spec.pasted).valid);
  const members = confirmedIn(spec.siteId, inGroups(groupIds));
  // One language's readers: one group's subscriptions are one per address, so each is its
  // person's language; across groups, the latest stated one decides (newestLanguage).
  const groupAddresses = !spec.readers
    ? sql`select ${distinct} s.email from subscriptions s where ${members}`
    : groupIds.length > 1
      ? sql`select s.email from subscriptions s where ${members} group by s.email having ${groupedLanguage(spec.siteLocale)} = ${spec.readers}`
      : sql`select s.email from subscriptions s where ${members} and ${languageOf(spec.siteLocale)} = ${spec.readers}`;
  // Whether the groups give a pasted address already (then it is counted with them).
  const givenByGroups = spec.readers
    ? sql`coalesce((select ${groupedLanguage(spec.siteLocale)} from subscriptions s where ${members} and s.email = p.email) = ${spec.readers}, false)`
    : sql`exists (select 1 from subscriptions s where ${members} and s.email = p.email)`;
  const result = await db.execute(sql`
    select (
      select count(*) from (${groupAddresses}) as m
       where not ${suppressed(spec.siteId, sql`m.email`)}
    ) + (
      select count(*) from jsonb_to_recordset(${pasted}::jsonb) as p(email text, email_hash text)
       where not ${erased(spec.siteId, sql`p.email_hash`)}
         and not ${givenByGroups}
         and not ${leftAGroup(spec.siteId, sql`p.email`)}
         and not ${suppressed(spec.siteId, sql`p.email`)}
    ) as n`);
  return Number(rows<{ n: number | string }>(result)[0]?.n ?? 0);
}

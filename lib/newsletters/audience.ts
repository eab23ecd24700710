import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { SmsOptOutSource, TemplateChannel } from "@/db/schema";
import { fillPlaceholders } from "@/lib/mail/compose";
import { DEFAULT_COUNTRY } from "@/lib/sms/phone";
import { segmentClass } from "@/lib/sms/segment-class";
import { smsSegments } from "@/lib/sms/segments";
import { parseAddressList } from "./addresses";
import { erasedHash, erasedPhoneHash } from "./erase";
import { ensureTokens } from "./keys";
import { parsePhoneList } from "./phones";

/**
 * Who a send reaches. An SMS send (`channel: "sms"`) reads pasted national numbers in `country`.
 * `readers`: only the groups' subscribers who read that language, a subscription whose language
 * is unknown counting as `siteLocale` (pasted recipients were chosen by hand: they always are).
 */
export type AudienceSpec = {
  siteId: number;
  groupIds: number[];
  pasted: string;
  channel?: TemplateChannel;
  country?: string;
  readers?: string | null;
  siteLocale?: string;
};

/**
 * A person's language, for a send to one language's readers, is the one they stated last among
 * their confirmed subscriptions in the send's groups: an aggregate over subscription rows `rows`
 * (with `locale_set_at` and `id`) of their `lang`, counting only those where `only` holds.
 * `locale_set_at` is written only with a stated language (signup, confirmation, add, import,
 * "Set language"), never by an edit that says nothing about language (a number, a move, a name,
 * an undone unsubscribe), which bumps `updated_at`: ordering by that switched people's edition.
 * A stated language wins over an unstated one (nulls last); among equals, the newest row.
 * One language per person, so that one template per language reaches everyone once, even
 * someone who joined one group in French and another in English. The send, its count and the
 * "preview as" search (lib/newsletters/templates.ts) all decide by this.
 */
export const newestLanguage = (rows: SQL, lang: SQL, only?: SQL): SQL =>
  sql`(array_agg(${lang} order by ${rows}.locale_set_at desc nulls last, ${rows}.id desc)${only ? sql` filter (where ${only})` : sql``})[1]`;

/** newestLanguage over the union `w` of candidates and phoneCandidates, its group rows only. */
const personLanguage = (): SQL => newestLanguage(sql`w`, sql`w.lang`, sql`w.from_group`);

/** A subscription's language: its own, else the site's (SQL). */
export const languageOf = (siteLocale: string | undefined, s = sql`s`): SQL => sql`coalesce(${s}.locale, ${siteLocale ?? "fr"})`;

/**
 * Everyone a send reaches, deduplicated across groups and the pasted list: confirmed members of
 * the groups, plus pasted addresses; never a suppressed address (it left everything), and never
 * a pasted address that unsubscribed from any group of the site or was erased from it (an erased
 * address has no subscription left to come from a group).
 */
function candidates(spec: AudienceSpec): SQL {
  const groups = JSON.stringify([...new Set(spec.groupIds)]);
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
         where s.site_id = ${spec.siteId} and s.status = 'confirmed'
           and s.group_id in (select value::int from jsonb_array_elements_text(${groups}::jsonb))
        union all
        select p.email, coalesce(p.name, ''), null, null, null, null, false from jsonb_to_recordset(${pasted}::jsonb) as p(email text, email_hash text, name text)
         where not ${erased(spec.siteId, sql`p.email_hash`)}
      ) as w
      group by w.email
    ) as c
    where c.from_group or c.pasted`;
}

/** The address left some group of the site: a pasted list no longer reaches it. */
const leftAGroup = (siteId: SQL | number, email: SQL) =>
  sql`exists (select 1 from subscriptions u where u.site_id = ${siteId} and u.email = ${email} and u.status = 'unsubscribed')`;

/** The address asked for no newsletter at all from the site (one-click unsubscribe). */
const suppressed = (siteId: SQL | number, email: SQL) =>
  sql`exists (select 1 from subscriber_keys k where k.site_id = ${siteId} and k.email = ${email} and k.suppressed_at is not null)`;

/** The address was erased from the site on request (lib/newsletters/erase.ts): given by its keyed hash. */
const erased = (siteId: SQL | number, hash: SQL) => sql`exists (select 1 from erased_subscribers e where e.site_id = ${siteId} and e.email_hash = ${hash})`;

/** Addresses with the keyed hash erased_subscribers knows them by (SQL cannot make it: the key is the app's). */
const withHashes = (emails: string[], names = new Map<string, string>()) =>
  JSON.stringify(emails.map((email) => ({ email, email_hash: erasedHash(email), name: names.get(email) ?? "" })));

function allowed(spec: AudienceSpec): SQL {
  return sql`c.from_group or not ${leftAGroup(spec.siteId, sql`c.email`)}`;
}

/** A newsletter email already queued: its row, message and address. */
export type QueuedLetter = { id: number; siteId: number; messageId: number; email: string };

/**
 * `select … from` queued rows `r` (id, site_id, message_id, and the recipient as `column`),
 * each with the groups of its send (`sends.group_ids`), `where` a condition holds. The send
 * keeps no copy of its groups: they are its template's as they are now, and a deleted
 * template's send (or a message that is no send) has none, so for someone who left a group a
 * doubt stops the row rather than sends it.
 */
function queuedRows(given: unknown[], columns: "email text, email_hash text" | "phone text, phone_hash text", select: SQL, where: SQL): SQL {
  return sql`
    with r as (select * from jsonb_to_recordset(${JSON.stringify(given)}::jsonb) as r(id bigint, site_id int, message_id bigint, ${sql.raw(columns)})),
    sends as (
      select distinct on (n.message_id) n.message_id, coalesce(t.group_ids, '[]'::jsonb) as group_ids
        from newsletter_sends n left join message_templates t on t.id = n.template_id
       where n.message_id in (select message_id from r)
       order by n.message_id, n.id)
    ${select} from r left join sends on sends.message_id = r.message_id
     where ${where}`;
}

/** `s` is a subscription in one of the groups of the row's send (queuedRows). */
const inSendGroups = sql`s.group_id in (select value::int from jsonb_array_elements_text(coalesce(sends.group_ids, '[]'::jsonb)))`;

/**
 * The queued newsletter emails whose address is no longer in the audience of their send: it is
 * suppressed or erased now, or it left a group and is no longer a confirmed member of any group the send
 * is for (a pasted address that left any group stays out, as `allowed` says). One statement for
 * all the rows.
 */
export async function leftTheAudience(letters: QueuedLetter[]): Promise<number[]> {
  if (letters.length === 0) return [];
  const given = letters.map((l) => ({ id: l.id, site_id: l.siteId, message_id: l.messageId, email: l.email, email_hash: erasedHash(l.email) }));
  const found = await db.execute(
    queuedRows(
      given,
      "email text, email_hash text",
      sql`select r.id`,
      sql`${suppressed(sql`r.site_id`, sql`r.email`)}
        or ${erased(sql`r.site_id`, sql`r.email_hash`)}
        or (${leftAGroup(sql`r.site_id`, sql`r.email`)} and not exists (
              select 1 from subscriptions s where s.site_id = r.site_id and s.email = r.email and s.status = 'confirmed' and ${inSendGroups}))`,
    ),
  );
  return rows<{ id: string | number }>(found).map((r) => Number(r.id));
}

/** A group SMS already queued: its row, message and number. */
export type QueuedText = { id: number; siteId: number; messageId: number; phone: string };

/** How the row's number came to be on the site's SMS opt-out list (sms_opt_outs.source), null when it is not. */
const optedOutBy = sql`(select o.source from sms_opt_outs o where o.site_id = r.site_id and o.phone = r.phone)`;

/**
 * The queued group SMS whose number is no longer in the audience of their send, as
 * phoneCandidates would now decide: it is on the opt-out list (`optedOut`: how it got there, a
 * STOP reply, the provider or an admin), or someone whose
 * subscription gave it left, by "unsubscribe from everything" (their address is suppressed: its
 * numbers too) or by leaving a group, and no confirmed subscription of an address not
 * suppressed still gives it in a group the send is for (a number two people share still goes
 * to the one who stays). The number of someone erased from the site (erasedPhoneHash) is out the
 * same way: their subscriptions are gone, so nothing else says it left, and a row sent before the
 * erasure keeps the number (a delivery record) that a retry or a resend by hand would text again.
 * One statement for all the rows.
 */
export async function numbersLeftTheAudience(texts: QueuedText[]): Promise<{ id: number; optedOut: SmsOptOutSource | null }[]> {
  if (texts.length === 0) return [];
  const given = texts.map((t) => ({ id: t.id, site_id: t.siteId, message_id: t.messageId, phone: t.phone, phone_hash: erasedPhoneHash(t.phone) }));
  const found = await db.execute(
    queuedRows(
      given,
      "phone text, phone_hash text",
      sql`select r.id, ${optedOutBy} as opted_out`,
      sql`${optedOutBy} is not null
        or ((exists (
              select 1 from subscriptions u
               where u.site_id = r.site_id and u.phone = r.phone and (u.status = 'unsubscribed' or ${suppressed(sql`u.site_id`, sql`u.email`)}))
             or ${erased(sql`r.site_id`, sql`r.phone_hash`)})
            and not exists (
              select 1 from subscriptions s
               where s.site_id = r.site_id and s.phone = r.phone and s.status = 'confirmed' and ${inSendGroups}
                 and not ${suppressed(sql`s.site_id`, sql`s.email`)}))`,
    ),
  );
  return rows<{ id: string | number; opted_out: SmsOptOutSource | null }>(found).map((r) => ({ id: Number(r.id), optedOut: r.opted_out ?? null }));
}

/**
 * The pasted numbers of an SMS send (E.164, like the stored ones, so they dedupe) as a relation
 * `p(value, hash)`, each with the keyed hash erased_subscribers knows an erased person's number
 * by (erasedPhoneHash): a pasted list never reaches someone erased from the site.
 */
const pastedPhones = (spec: AudienceSpec): SQL => {
  const valid = parsePhoneList(spec.pasted, spec.country ?? DEFAULT_COUNTRY).valid;
  return sql`jsonb_to_recordset(${JSON.stringify(valid.map((value) => ({ value, hash: erasedPhoneHash(value) })))}::jsonb) as p(value text, hash text)`;
};

/**
 * The numbers an SMS send reaches, one row per distinct number: confirmed members of the groups
 * that gave a phone, plus pasted numbers (E.164, like the stored ones, so they dedupe). A
 * suppressed address left everything, its number too; a pasted number is skipped when a
 * subscription of the site with that number unsubscribed or belongs to a suppressed address,
 * or when it was the number of someone erased from the site.
 * A number that answered STOP (sms_opt_outs) is left out whatever its subscriptions say.
 */
function phoneCandidates(spec: AudienceSpec): SQL {
  const groups = JSON.stringify([...new Set(spec.groupIds)]);
  const pasted = pastedPhones(spec);
  return sql`
    select w.phone, max(w.name) as name, ${spec.readers ? sql`${personLanguage()}` : sql`max(w.locale)`} as locale
    from (
      select s.phone, s.name, s.locale, ${languageOf(spec.siteLocale)} as lang, s.locale_set_at, s.id, true as from_group
        from subscriptions s
       where s.site_id = ${spec.siteId} and s.status = 'confirmed' and s.phone is not null
         and s.group_id in (select value::int from jsonb_array_elements_text(${groups}::jsonb))
         and not ${suppressed(spec.siteId, sql`s.email`)}
      union all
      select p.value, '', null, null, null, null, false from ${pasted}
       where not exists (
         select 1 from subscriptions u
          where u.site_id = ${spec.siteId} and u.phone = p.value and (u.status = 'unsubscribed' or ${suppressed(spec.siteId, sql`u.email`)}))
         and not ${erased(spec.siteId, sql`p.hash`)}
    ) as w
    where not exists (select 1 from sms_opt_outs o where o.site_id = ${spec.siteId} and o.phone = w.phone)
    group by w.phone
    -- One language's readers: a number the groups give in another language only comes if pasted.
    ${spec.readers ? sql`having bool_or(not w.from_group) or coalesce(${personLanguage()} = ${spec.readers}, false)` : sql``}`;
}

/**
 * The numbers phoneCandidates gives, in two disjoint parts, for counting and pricing them
 * without building its rows (1–3 s for a group of 900,000: docs/newsletter-benchmarks.md):
 * phoneCandidates appends the pasted numbers to the groups' rows and groups the union by
 * number, whose size PostgreSQL cannot estimate (it guessed 200 rows and sorted 300,000 on disk).
 * - `groups`: the groups' distinct numbers (confirmed, address not suppressed), grouped straight
 *   from the table, not opted out; for one language's readers, those whose person reads it.
 * - `pasted`: the pasted numbers `groups` does not already give, allowed as phoneCandidates
 *   allows them (no subscription of the site with it unsubscribed or suppressed, not an erased
 *   person's) and not opted
 *   out, each looked up on its own (the list is short: TEMPLATE_LIMITS.pasted characters).
 * With `withName`, each number's name as phoneCandidates gives it: the greatest of its group
 * rows' names (a pasted number's own is ''), so also for a pasted number the groups give in
 * another language.
 */
function smsReach(spec: AudienceSpec, withName: boolean): { groups: SQL; pasted: SQL } {
  const groupIds = [...new Set(spec.groupIds)];
  const members = sql`s.site_id = ${spec.siteId} and s.status = 'confirmed' and s.phone is not null
    and s.group_id = any(string_to_array(${groupIds.join(",")}, ',')::int[])
    and not ${suppressed(spec.siteId, sql`s.email`)}`;
  const optedOut = (phone: SQL) => sql`exists (select 1 from sms_opt_outs o where o.site_id = ${spec.siteId} and o.phone = ${phone})`;
  const language = newestLanguage(sql`s`, languageOf(spec.siteLocale));
  const groups = sql`
    select g.phone${withName ? sql`, g.name` : sql``} from (
      select s.phone${withName ? sql`, max(s.name) as name` : sql``} from subscriptions s
       where ${members}
       group by s.phone
       ${spec.readers ? sql`having ${language} = ${spec.readers}` : sql``}
    ) as g
    where not ${optedOut(sql`g.phone`)}`;
  const givenByGroups = spec.readers
    ? sql`coalesce((select ${language} from subscriptions s where ${members} and s.phone = p.value) = ${spec.readers}, false)`
    : sql`exists (select 1 from subscriptions s where ${members} and s.phone = p.value)`;
  const pastedName = sql`coalesce((select max(s.name) from subscriptions s where ${members} and s.phone = p.value), '')`;
  return {
    groups,
    pasted: sql`
      select p.value as phone${withName ? sql`, ${pastedName} as name` : sql``} from ${pastedPhones(spec)}
       where not exists (
         select 1 from subscriptions u
          where u.site_id = ${spec.siteId} and u.phone = p.value and (u.status = 'unsubscribed' or ${suppressed(spec.siteId, sql`u.email`)}))
         and not ${erased(spec.siteId, sql`p.hash`)}
         and not ${optedOut(sql`p.value`)}
         and not ${givenByGroups}`,
  };
}

/**
 * Runs a statement grouping a big SMS audience by number with the memory to do it at once: at
 * the default work_mem (4 MB) PostgreSQL spilled a group of 300,000 numbers to disk in batches,
 * and sorted them there for one language's readers. Raised for this statement's transaction only.
 */
const roomToGroup = (query: SQL) =>
  db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    return tx.execute(query);
  });

/** How many distinct recipients (addresses, or numbers for SMS) a send would have now (shown before anything is queued). */
export async function countAudience(spec: AudienceSpec): Promise<number> {
  if (spec.channel === "sms") {
    const reach = smsReach(spec, false);
    const result = await roomToGroup(sql`select (select count(*) from (${reach.groups}) as g) + (select count(*) from (${reach.pasted}) as p) as n`);
    return Number(rows<{ n: number | string }>(result)[0]?.n ?? 0);
  }
  const result = await db.execute(emailCount(spec));
  return Number(rows<{ n: number }>(result)[0]?.n ?? 0);
}

/**
 * The number of addresses audienceRows would give, without building its rows: `candidates`
 * grouped every address with its name and joined each to subscriber_keys, a loop per address
 * (8 s for a group of 900,000). The same people, counted in two disjoint parts: the groups'
 * distinct confirmed addresses less the site's suppressed ones (an anti-join on the few
 * suppressed keys, subscriber_keys_suppressed_idx), plus the pasted addresses that no group
 * already gives, each checked on its own like `candidates` and `allowed` do (the pasted list is
 * short: at most TEMPLATE_LIMITS.pasted characters).
 */
function emailCount(spec: AudienceSpec): SQL {
  const groupIds = [...new Set(spec.groupIds)];
  const groups = sql`(select value::int from jsonb_array_elements_text(${JSON.stringify(groupIds)}::jsonb))`;
  // One group's addresses are distinct already (subscriptions_site_group_email_key): deduplicating
  // 800,000 of them would take most of the time, for nothing.
  const distinct = groupIds.length > 1 ? sql`distinct` : sql``;
  const pasted = withHashes(parseAddressList(spec.pasted).valid);
  const suppressedKeys = sql`(select k.email from subscriber_keys k where k.site_id = ${spec.siteId} and k.suppressed_at is not null)`;
  const members = sql`s.site_id = ${spec.siteId} and s.status = 'confirmed' and s.group_id in ${groups}`;
  // One language's readers: one group's subscriptions are one per address, so each is its
  // person's language; across groups, the latest stated one decides (newestLanguage).
  const groupAddresses = !spec.readers
    ? sql`select ${distinct} s.email from subscriptions s where ${members}`
    : groupIds.length > 1
      ? sql`select s.email from subscriptions s where ${members} group by s.email
            having ${newestLanguage(sql`s`, languageOf(spec.siteLocale))} = ${spec.readers}`
      : sql`select s.email from subscriptions s where ${members} and ${languageOf(spec.siteLocale)} = ${spec.readers}`;
  // Whether the groups give a pasted address already (then it is counted with them).
  const givenByGroups = (email: SQL) =>
    spec.readers
      ? sql`coalesce((select ${newestLanguage(sql`s`, languageOf(spec.siteLocale))} from subscriptions s where ${members} and s.email = ${email}) = ${spec.readers}, false)`
      : sql`exists (select 1 from subscriptions s where ${members} and s.email = ${email})`;
  return sql`
    select (
      select count(*) from (${groupAddresses}) as m
       where not exists (select 1 from ${suppressedKeys} as k where k.email = m.email)
    ) + (
      select count(*) from jsonb_to_recordset(${pasted}::jsonb) as p(email text, email_hash text)
       where not ${erased(spec.siteId, sql`p.email_hash`)}
         and not ${givenByGroups(sql`p.email`)}
         and not ${leftAGroup(spec.siteId, sql`p.email`)}
         and not ${suppressed(spec.siteId, sql`p.email`)}
    ) as n`;
}

/**
 * The numbers an SMS send would reach now and the segments it would cost in all: `text` (the
 * stored message, site placeholders already filled) personalised for each number as the queue
 * will (`{{name}}`, `{{phone}}`), since a long name can push one person's SMS into two segments.
 */
export async function smsAudienceCost(spec: AudienceSpec, text: string): Promise<{ count: number; segments: number }> {
  // Without a per-person placeholder every SMS is the same: count them, price one.
  if (!/\{\{\s*(name|phone)\s*(\|[^{}]*)?\}\}/.test(text)) {
    const count = await countAudience({ ...spec, channel: "sms" });
    return { count, segments: count * smsSegments(text).segments };
  }
  // One text per class of (name, number) as segmentClass sorts them, weighted by how many share
  // it, prices them all: grouped by the name itself, this was a row and a count per person.
  const reach = smsReach(spec, true);
  const kinds = rows<{ phone: string; name: string; n: number }>(
    await roomToGroup(sql`
      select min(c.phone) as phone, min(coalesce(c.name, '')) as name, count(*)::int as n
      from (${reach.groups} union all ${reach.pasted}) as c
      group by ${segmentClass(sql`coalesce(c.name, '')`)}, ${segmentClass(sql`c.phone`)}`),
  );
  let count = 0;
  let segments = 0;
  for (const k of kinds) {
    count += Number(k.n);
    segments += Number(k.n) * smsSegments(fillPlaceholders(text, { phone: k.phone, name: k.name })).segments;
  }
  return { count, segments };
}

/**
 * The recipients as the queue's bulk enqueue wants them: (recipient, recipient_name, locale,
 * variables) with each person's unsubscribe URL. Gives every candidate a token first. For SMS:
 * the number in E.164 (the queue composes `{{phone}}` and `{{name}}` from the row itself).
 */
export async function audienceRows(spec: AudienceSpec, unsubscribeBase: string, tx: Pick<typeof db, "execute"> = db): Promise<SQL> {
  if (spec.channel === "sms") {
    return sql`
      select c.phone as recipient, coalesce(c.name, '') as recipient_name, c.locale,
             jsonb_build_object('name', coalesce(c.name, ''), 'phone', c.phone) as variables
      from (${phoneCandidates(spec)}) as c`;
  }
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

import { sql, type SQL } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { fillPlaceholders } from "@/lib/mail/compose";
import { segmentClass } from "@/lib/sms/segment-class";
import { smsSegments } from "@/lib/sms/segments";
import type { AudienceSpec } from "./audience";
import { inGroups, numberIn, optedOut, pastedNumberAllowed, suppressed } from "./audience-conditions";
import { groupedLanguage } from "./audience-language";
import { numberOfTheGroups, pastedPhones } from "./sms-audience";

/**
 * The numbers phoneCandidates (sms-audience.ts) gives, in two disjoint parts, for counting and
 * pricing them without building its rows (1–3 s for a group of 900,000:
 * docs/newsletter-benchmarks.md): phoneCandidates appends the pasted numbers to the groups' rows
 * and groups the union by number, whose size PostgreSQL cannot estimate (it guessed 200 rows and
 * sorted 300,000 on disk). Both parts use the same conditions as phoneCandidates.
 * - `groups`: the groups' distinct numbers (numberOfTheGroups), grouped straight from the table,
 *   not opted out; for one language's readers, those whose person reads it.
 * - `pasted`: the pasted numbers `groups` does not already give, allowed as phoneCandidates
 *   allows them (pastedNumberAllowed) and not opted out, each looked up on its own (the list is
 *   short: TEMPLATE_LIMITS.pasted characters).
 * With `withName`, each number's name as phoneCandidates gives it: the greatest of its group
 * rows' names (a pasted number's own is ''), so also for a pasted number the groups give in
 * another language.
 */
function smsReach(spec: AudienceSpec, withName: boolean): { groups: SQL; pasted: SQL } {
  const members = numberOfTheGroups(spec);
  const language = groupedLanguage(spec.siteLocale);
  const groups = sql`
    select g.phone${withName ? sql`, g.name` : sql``} from (
      select s.phone${withName ? sql`, max(s.name) as name` : sql``} from subscriptions s
       where ${members}
       group by s.phone
       ${spec.readers ? sql`having ${language} = ${spec.readers}` : sql``}
    ) as g
    where not ${optedOut(spec.siteId, sql`g.phone`)}`;
  const givenByGroups = spec.readers
    ? sql`coalesce((select ${language} from subscriptions s where ${members} and s.phone = p.value) = ${spec.readers}, false)`
    : sql`exists (select 1 from subscriptions s where ${members} and s.phone = p.value)`;
  const pastedName = sql`coalesce((select max(s.name) from subscriptions s where ${members} and s.phone = p.value), '')`;
  return {
    groups,
    pasted: sql`
      select p.value as phone${withName ? sql`, ${pastedName} as name` : sql``} from ${pastedPhones(spec)}
       where ${pastedNumberAllowed(spec.siteId)}
         and not ${optedOut(spec.siteId, sql`p.value`)}
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

/**
 * How many numbers smsReach's `groups` gives to everyone (no language chosen), in three counts
 * that each read subscriptions_sms_numbers_idx without hashing the numbers: grouping them after
 * the suppressed addresses were taken out hashed 320,000 numbers for a group of 900,000
 * (docs/newsletter-benchmarks.md, section 4), whereas one group's numbers come from the index
 * already in order. The groups' distinct numbers (numberIn), less those on the opt-out list
 * (the list read against the index), less those that only suppressed addresses give and
 * that are not opted out (found from the suppressed addresses' rows, a few): what is left is
 * every number a subscription not suppressed gives (givesNumber), not opted out.
 */
function groupNumbersCount(spec: AudienceSpec): SQL {
  const numbers = numberIn(spec.siteId, inGroups(spec.groupIds));
  return sql`(select count(*) from (select s.phone from subscriptions s where ${numbers} group by s.phone) as d)
    - (select count(*) from sms_opt_outs o where o.site_id = ${spec.siteId} and exists (select 1 from subscriptions s where ${numbers} and s.phone = o.phone))
    - (select count(distinct x.phone) from (select s.phone from subscriptions s where ${numbers} and ${suppressed(spec.siteId, sql`s.email`)}) as x
        where not exists (select 1 from subscriptions s where ${numberOfTheGroups(spec)} and s.phone = x.phone)
          and not ${optedOut(spec.siteId, sql`x.phone`)})`;
}

/** How many distinct numbers an SMS send would reach now (the send dialog's count). */
export async function smsCount(spec: AudienceSpec): Promise<number> {
  const reach = smsReach(spec, false);
  const groups = spec.readers ? sql`(select count(*) from (${reach.groups}) as g)` : groupNumbersCount(spec);
  const result = await roomToGroup(sql`select ${groups} + (select count(*) from (${reach.pasted}) as p) as n`);
  return Number(rows<{ n: number | string }>(result)[0]?.n ?? 0);
}

/**
 * The numbers an SMS send would reach now and the segments it would cost in all: `text` (the
 * stored message, site placeholders already filled) personalised for each number as the queue
 * will (`{{name}}`, `{{phone}}`), since a long name can push one person's SMS into two segments.
 */
export async function smsAudienceCost(spec: AudienceSpec, text: string): Promise<{ count: number; segments: number }> {
  // Without a per-person placeholder every SMS is the same: count them, price one.
  if (!/\{\{\s*(name|phone)\s*(\|[^{}]*)?\}\}/.test(text)) {
    const count = await smsCount(spec);
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

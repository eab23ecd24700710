import { sql, type SQL } from "drizzle-orm";
import { DEFAULT_COUNTRY } from "@/lib/sms/phone";
import type { AudienceSpec } from "./audience";
import { givesNumber, inGroups, optedOut, pastedNumberAllowed } from "./audience-conditions";
import { languageOf, personLanguage } from "./audience-language";
import { erasedPhoneHash } from "./erase";
import { parsePhoneList } from "./phones";

/**
 * The pasted numbers of an SMS send (E.164, like the stored ones, so they dedupe) as a relation
 * `p(value, hash)`, each with the keyed hash erased_subscribers knows an erased person's number
 * by (erasedPhoneHash): a pasted list never reaches someone erased from the site.
 */
export const pastedPhones = (spec: AudienceSpec): SQL => {
  const valid = parsePhoneList(spec.pasted, spec.country ?? DEFAULT_COUNTRY).valid;
  return sql`jsonb_to_recordset(${JSON.stringify(valid.map((value) => ({ value, hash: erasedPhoneHash(value) })))}::jsonb) as p(value text, hash text)`;
};

/** `s` gives its number to this send (givesNumber, in the send's groups). */
export const numberOfTheGroups = (spec: AudienceSpec): SQL => givesNumber(spec.siteId, inGroups(spec.groupIds));

/**
 * The numbers an SMS send reaches, one row per distinct number: the numbers of the groups'
 * confirmed members (numberOfTheGroups: a suppressed address left everything, its number too),
 * plus the pasted numbers nobody with them left and no erased person had (pastedNumberAllowed).
 * A number that answered STOP (sms_opt_outs) is left out whatever its subscriptions say.
 */
function phoneCandidates(spec: AudienceSpec): SQL {
  return sql`
    select w.phone, max(w.name) as name, ${spec.readers ? sql`${personLanguage()}` : sql`max(w.locale)`} as locale
    from (
      select s.phone, s.name, s.locale, ${languageOf(spec.siteLocale)} as lang, s.locale_set_at, s.id, true as from_group
        from subscriptions s
       where ${numberOfTheGroups(spec)}
      union all
      select p.value, '', null, null, null, null, false from ${pastedPhones(spec)}
       where ${pastedNumberAllowed(spec.siteId)}
    ) as w
    where not ${optedOut(spec.siteId, sql`w.phone`)}
    group by w.phone
    -- One language's readers: a number the groups give in another language only comes if pasted.
    ${spec.readers ? sql`having bool_or(not w.from_group) or coalesce(${personLanguage()} = ${spec.readers}, false)` : sql``}`;
}

/**
 * The recipients of an SMS send as the queue's bulk enqueue wants them: (recipient,
 * recipient_name, locale, variables), the number in E.164 (the queue composes `{{phone}}` and
 * `{{name}}` from the row itself).
 */
export const smsAudienceRows = (spec: AudienceSpec): SQL => sql`
  select c.phone as recipient, coalesce(c.name, '') as recipient_name, c.locale,
         jsonb_build_object('name', coalesce(c.name, ''), 'phone', c.phone) as variables
  from (${phoneCandidates(spec)}) as c`;

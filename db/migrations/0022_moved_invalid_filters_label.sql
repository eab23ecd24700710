-- The lists' "filters not understood" label is one key now (manage.invalidFilters) instead of
-- five. A site that had reworded one of the old keys keeps its wording: the most recent of its
-- old overrides (per language) becomes the new key's, unless it already has one.
insert into "translation_overrides" ("site_id", "locale", "key", "value", "updated_at")
select distinct on ("site_id", "locale") "site_id", "locale", 'manage.invalidFilters', "value", "updated_at"
  from "translation_overrides"
 where "key" in ('users.invalidFilters', 'queue.invalidFilters', 'smsReplies.invalidFilters', 'subscriptions.invalidFilters', 'subscriptions.optOuts.invalidFilters')
 order by "site_id", "locale", "updated_at" desc, "id" desc
on conflict ("site_id", "locale", "key") do nothing;
--> statement-breakpoint
delete from "translation_overrides"
 where "key" in ('users.invalidFilters', 'queue.invalidFilters', 'smsReplies.invalidFilters', 'subscriptions.invalidFilters', 'subscriptions.optOuts.invalidFilters');

-- The queue's "opted out" note is one of the failure reasons now (queue.failure.reasons.optedOut,
-- beside every other reason a row can fail for) instead of queue.notes.optedOut. A site that had
-- reworded it keeps its wording, unless it already has the new key (an admin may have added it
-- by hand): a plain rename would then break the unique (site, locale, key) index.
insert into "translation_overrides" ("site_id", "locale", "key", "value", "updated_at")
select "site_id", "locale", 'queue.failure.reasons.optedOut', "value", "updated_at"
  from "translation_overrides"
 where "key" = 'queue.notes.optedOut'
on conflict ("site_id", "locale", "key") do nothing;
--> statement-breakpoint
delete from "translation_overrides" where "key" = 'queue.notes.optedOut';

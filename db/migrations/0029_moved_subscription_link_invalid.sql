-- The invalid-confirmation-link message moved from newsletter.confirm.invalid to
-- errors.subscriptionLinkInvalid: the confirmation page's button (a server action) answers with
-- it too, and action errors are `errors.*` keys. A site that had reworded it keeps its wording,
-- unless it already has the new key.
insert into "translation_overrides" ("site_id", "locale", "key", "value", "updated_at")
select "site_id", "locale", 'errors.subscriptionLinkInvalid', "value", "updated_at"
  from "translation_overrides"
 where "key" = 'newsletter.confirm.invalid'
on conflict ("site_id", "locale", "key") do nothing;
--> statement-breakpoint
delete from "translation_overrides" where "key" = 'newsletter.confirm.invalid';

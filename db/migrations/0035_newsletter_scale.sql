-- The send dialog's count leaves out suppressed addresses by an anti-join on this index.
CREATE INDEX "subscriber_keys_suppressed_idx" ON "subscriber_keys" USING btree ("site_id","email") WHERE "subscriber_keys"."suppressed_at" is not null;--> statement-breakpoint
-- A group's page of subscriptions and its in-group prefix search.
CREATE INDEX "subscriptions_site_group_id_idx" ON "subscriptions" USING btree ("site_id","group_id","id");--> statement-breakpoint
CREATE INDEX "subscriptions_site_group_email_idx" ON "subscriptions" USING btree ("site_id","group_id","email" text_pattern_ops);--> statement-breakpoint
CREATE TABLE "subscription_counts" (
	"site_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "subscription_counts_site_id_group_id_status_pk" PRIMARY KEY("site_id","group_id","status")
);
--> statement-breakpoint
ALTER TABLE "subscription_counts" ADD CONSTRAINT "subscription_counts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Kept by the triggers below, as queue_status_counts is (0003): one statement-level pass per
-- INSERT/UPDATE/DELETE on subscriptions, rows applied in (site_id, group_id, status) order so
-- concurrent writers lock counters in the same order. A move between groups or a change of
-- status is an UPDATE: it takes from the old (group, status) and adds to the new one.
CREATE FUNCTION subscription_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO subscription_counts (site_id, group_id, status, n)
      SELECT site_id, group_id, status, count(*) FROM new_rows GROUP BY site_id, group_id, status ORDER BY site_id, group_id, status
      ON CONFLICT (site_id, group_id, status) DO UPDATE SET n = subscription_counts.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    -- Not for a site being deleted: its counters go with it (ON DELETE cascade), and one
    -- written again here would name a site that is no longer there.
    INSERT INTO subscription_counts (site_id, group_id, status, n)
      SELECT site_id, group_id, status, -count(*) FROM old_rows
       WHERE EXISTS (SELECT 1 FROM sites WHERE sites.id = old_rows.site_id)
       GROUP BY site_id, group_id, status ORDER BY site_id, group_id, status
      ON CONFLICT (site_id, group_id, status) DO UPDATE SET n = subscription_counts.n + excluded.n;
  ELSE
    INSERT INTO subscription_counts (site_id, group_id, status, n)
      SELECT site_id, group_id, status, sum(c) FROM (
        SELECT site_id, group_id, status, count(*) AS c FROM new_rows GROUP BY site_id, group_id, status
        UNION ALL
        SELECT site_id, group_id, status, -count(*) FROM old_rows GROUP BY site_id, group_id, status
      ) AS delta
      GROUP BY site_id, group_id, status HAVING sum(c) <> 0 ORDER BY site_id, group_id, status
      ON CONFLICT (site_id, group_id, status) DO UPDATE SET n = subscription_counts.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscription_counts_insert AFTER INSERT ON subscriptions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION subscription_counts_apply();
--> statement-breakpoint
CREATE TRIGGER subscription_counts_update AFTER UPDATE ON subscriptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION subscription_counts_apply();
--> statement-breakpoint
CREATE TRIGGER subscription_counts_delete AFTER DELETE ON subscriptions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION subscription_counts_apply();
--> statement-breakpoint
-- The counts of the subscriptions already there. The triggers above already hold their lock on
-- subscriptions (until the migration commits), so no write slips between this count and them.
INSERT INTO subscription_counts (site_id, group_id, status, n)
  SELECT site_id, group_id, status, count(*) FROM subscriptions GROUP BY site_id, group_id, status;

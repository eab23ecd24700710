CREATE TABLE "queue_status_counts" (
	"site_id" integer NOT NULL,
	"status" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_status_counts_site_id_status_pk" PRIMARY KEY("site_id","status")
);
--> statement-breakpoint
ALTER TABLE "queue_status_counts" ADD CONSTRAINT "queue_status_counts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Kept by the triggers below; one statement-level pass per INSERT/UPDATE/DELETE on queue, rows
-- applied in (site_id, status) order so concurrent runners lock counters in the same order.
CREATE FUNCTION queue_status_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_status_counts (site_id, status, n)
      SELECT site_id, status, count(*) FROM new_rows GROUP BY site_id, status ORDER BY site_id, status
      ON CONFLICT (site_id, status) DO UPDATE SET n = queue_status_counts.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO queue_status_counts (site_id, status, n)
      SELECT site_id, status, -count(*) FROM old_rows GROUP BY site_id, status ORDER BY site_id, status
      ON CONFLICT (site_id, status) DO UPDATE SET n = queue_status_counts.n + excluded.n;
  ELSE
    INSERT INTO queue_status_counts (site_id, status, n)
      SELECT site_id, status, sum(c) FROM (
        SELECT site_id, status, count(*) AS c FROM new_rows GROUP BY site_id, status
        UNION ALL
        SELECT site_id, status, -count(*) FROM old_rows GROUP BY site_id, status
      ) AS delta
      GROUP BY site_id, status HAVING sum(c) <> 0 ORDER BY site_id, status
      ON CONFLICT (site_id, status) DO UPDATE SET n = queue_status_counts.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER queue_status_counts_insert AFTER INSERT ON queue REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION queue_status_counts_apply();
--> statement-breakpoint
CREATE TRIGGER queue_status_counts_update AFTER UPDATE ON queue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION queue_status_counts_apply();
--> statement-breakpoint
CREATE TRIGGER queue_status_counts_delete AFTER DELETE ON queue REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION queue_status_counts_apply();
--> statement-breakpoint
INSERT INTO queue_status_counts (site_id, status, n)
  SELECT site_id, status, count(*) FROM queue GROUP BY site_id, status;

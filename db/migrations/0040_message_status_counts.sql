CREATE TABLE "message_status_counts" (
	"message_id" bigint NOT NULL,
	"status" text NOT NULL,
	"retryable" boolean NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "message_status_counts_message_id_status_retryable_pk" PRIMARY KEY("message_id","status","retryable")
);
--> statement-breakpoint
-- No row of queue changes between the counts taken below and the function that keeps them (a
-- runner of the previous version still at work during a deploy waits until this commits).
LOCK TABLE queue IN SHARE ROW EXCLUSIVE MODE;--> statement-breakpoint
-- 0003's function, now keeping the counts per message too: one statement-level pass per
-- INSERT/UPDATE/DELETE on queue; counters written in key order, so concurrent runners lock them
-- in the same order (site counts first, then message counts).
CREATE OR REPLACE FUNCTION queue_status_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_status_counts (site_id, status, n)
      SELECT site_id, status, count(*) FROM new_rows GROUP BY site_id, status ORDER BY site_id, status
      ON CONFLICT (site_id, status) DO UPDATE SET n = queue_status_counts.n + excluded.n;
    INSERT INTO message_status_counts (message_id, status, retryable, n)
      SELECT message_id, status, retryable, count(*) FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (message_id, status, retryable) DO UPDATE SET n = message_status_counts.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO queue_status_counts (site_id, status, n)
      SELECT site_id, status, -count(*) FROM old_rows GROUP BY site_id, status ORDER BY site_id, status
      ON CONFLICT (site_id, status) DO UPDATE SET n = queue_status_counts.n + excluded.n;
    INSERT INTO message_status_counts (message_id, status, retryable, n)
      SELECT message_id, status, retryable, -count(*) FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (message_id, status, retryable) DO UPDATE SET n = message_status_counts.n + excluded.n;
  ELSE
    INSERT INTO queue_status_counts (site_id, status, n)
      SELECT site_id, status, sum(c) FROM (
        SELECT site_id, status, count(*) AS c FROM new_rows GROUP BY site_id, status
        UNION ALL
        SELECT site_id, status, -count(*) FROM old_rows GROUP BY site_id, status
      ) AS delta
      GROUP BY site_id, status HAVING sum(c) <> 0 ORDER BY site_id, status
      ON CONFLICT (site_id, status) DO UPDATE SET n = queue_status_counts.n + excluded.n;
    INSERT INTO message_status_counts (message_id, status, retryable, n)
      SELECT message_id, status, retryable, sum(c) FROM (
        SELECT message_id, status, retryable, count(*) AS c FROM new_rows GROUP BY 1, 2, 3
        UNION ALL
        SELECT message_id, status, retryable, -count(*) FROM old_rows GROUP BY 1, 2, 3
      ) AS delta
      GROUP BY 1, 2, 3 HAVING sum(c) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (message_id, status, retryable) DO UPDATE SET n = message_status_counts.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The counts of the rows already there (under the lock taken above, until the migration commits).
INSERT INTO message_status_counts (message_id, status, retryable, n)
  SELECT message_id, status, retryable, count(*) FROM queue GROUP BY message_id, status, retryable;

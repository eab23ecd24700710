import { sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import type { NewsletterSend } from "@/db/schema";

type Checked = Pick<NewsletterSend, "id" | "siteId" | "messageId" | "status">;

/**
 * Which of these sends are over: queued, with rows, and none of them still to go (pending,
 * sending, or an error the retry runner will take again). The rule of the live report's
 * "Completed" (components/templates/send-live.tsx, from sendReport's counts). The send's own
 * status stays `queued`: a row set back to pending, or "retry the failures", reopens it.
 *
 * For the lists (up to 50 sends of maybe 200,000 rows each) no send's rows are counted: each
 * send costs a few index probes (PostgreSQL 15, 600,000 rows: 1.4 ms for 52 sends, two of them
 * 200,000 rows, one half pending, one finished with 2,000 failures):
 * - its rows' id range, from queue_message_id_idx (message_id, id): min and max, one probe each;
 * - rows still to go in that range, from queue_site_status_id_idx (site_id, status, id), read
 *   index-only: a finished send finds none at once, whatever its size; one going out stops at
 *   its first. Only rows of another message of the site queued in between (enqueued at the
 *   same moment) are read and skipped, each checked by its primary key;
 * - retryable errors from queue_retry_idx, the partial index that holds only them.
 * The shape is what keeps the planner on those: each probe is a LIMIT 1 lateral (a NOT EXISTS
 * becomes a hash anti join over every pending row), the message test is a scalar subquery (as
 * a join, or on queue.message_id, the planner walks the send's whole range in id order, since
 * ids follow the table's physical order and look cheap), and `message_id + 0` keeps the retry
 * probe off queue_message_id_idx.
 */
export async function completedSends(sends: Checked[]): Promise<Set<number>> {
  const candidates = sends.filter((s) => s.status === "queued" && s.messageId !== null).map((s) => ({ id: s.id, site_id: s.siteId, message_id: s.messageId }));
  if (candidates.length === 0) return new Set();
  const query = sql`
    select s.id
      from jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb) as s(id int, site_id int, message_id bigint)
      cross join lateral (select min(id) as lo, max(id) as hi from queue where message_id = s.message_id) r
      left join lateral (
        select true as going from queue c
         where c.site_id = s.site_id and c.status in ('pending', 'sending') and c.id between r.lo and r.hi
           and (select m.message_id from queue m where m.id = c.id) = s.message_id
         limit 1
      ) p on true
      left join lateral (
        select true as retrying from queue q
         where q.status = 'error' and q.retryable and q.id between r.lo and r.hi and q.site_id = s.site_id and q.message_id + 0 = s.message_id
         limit 1
      ) e on true
     where r.lo is not null and p.going is null and e.retrying is null`;
  // The planner costs each probe as if it read its whole range: past jit_above_cost, PostgreSQL
  // would spend ~50 ms compiling a query that runs in ~1 ms.
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return tx.execute(query);
  });
  return new Set(rows<{ id: number }>(result).map((r) => Number(r.id)));
}

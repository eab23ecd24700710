import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { MAX_INT } from "@/lib/ids";
import type { UrlInput } from "@/lib/url-filters";

/**
 * Keyset pagination, both ways. A page is read from a cursor (a row's key) with an index seek,
 * never an OFFSET, so the 20,000th page costs what the first does at a million rows:
 * `after` reads the rows that follow the cursor in the list's order, `before` the rows that
 * precede it — in the reverse order, so the same index seeks there, then turned back.
 */
export type Keyset<C> = { after?: C; before?: C };
export type KeysetOptions<C> = Keyset<C> & { limit?: number };

/** One page and the cursors of the pages beside it (null: there is none). */
export type KeysetPage<R, C> = { rows: R[]; next: C | null; prev: C | null };

/** What one read asks for: the rows beyond `cursor` (none: from the start), nearest first. */
export type KeysetRead<C> = { cursor: C | undefined; back: boolean; take: number };

/** Rows on a screen's page. */
export const PAGE_SIZE = 50;

/** The page size a caller asked for, kept within what one query should return. */
export const pageLimit = (limit: number | undefined) => Math.min(Math.max(limit ?? PAGE_SIZE, 1), 5000);

/** How many screen pages `rows` rows fill (a count the screen already has, never one made for this). */
export const pageCount = (rows: number) => Math.max(1, Math.ceil(rows / PAGE_SIZE));

/**
 * For a list in `order`, the comparison that keeps one side of a cursor and the order that reads
 * that side nearest first: for a newest-first list, `<` and `desc` forward, `>` and `asc` back.
 * Both use the same (… , key) index, read forwards or backwards.
 */
export function keysetSql(order: "asc" | "desc", back: boolean): { beyond: SQL; nearest: SQL } {
  const descending = (order === "desc") !== back;
  return { beyond: sql.raw(descending ? "<" : ">"), nearest: sql.raw(descending ? "desc" : "asc") };
}

/**
 * One page of a keyset-paginated list. `read` runs the query for one side of a cursor (limit + 1
 * rows, to know whether more follow); `key` gives a row's cursor. `after` wins over `before`: a
 * URL with both is not one the pager wrote.
 *
 * Going back past the start (rows deleted since, or a cursor typed by hand) would leave a short
 * first page: then the first page is read instead, so "Previous" always lands on a full page.
 */
export async function keysetPage<R, C>(options: KeysetOptions<C>, read: (r: KeysetRead<C>) => Promise<R[]>, key: (row: R) => C): Promise<KeysetPage<R, C>> {
  const limit = pageLimit(options.limit);
  if (options.after === undefined && options.before !== undefined) {
    const found = await read({ cursor: options.before, back: true, take: limit + 1 });
    if (found.length >= limit) {
      const rows = found.slice(0, limit).reverse();
      // Coming back, the rows after this page are at least the page we came from.
      return { rows, next: key(rows[rows.length - 1]), prev: found.length > limit ? key(rows[0]) : null };
    }
  }
  const after = options.after;
  const found = await read({ cursor: after, back: false, take: limit + 1 });
  const rows = found.slice(0, limit);
  // Past a cursor, whether any row comes before this page is asked (one index probe): a cursor
  // typed by hand beyond the first row, or whose rows were deleted since, shows the first page,
  // which must then say so (no "Previous", "Page 1") rather than the URL's page number. Past the
  // end, the way back is the cursor itself.
  const prev = after === undefined ? null : rows.length === 0 ? after : (await read({ cursor: key(rows[0]), back: true, take: 1 })).length > 0 ? key(rows[0]) : null;
  return { rows, next: found.length > limit ? key(rows[rows.length - 1]) : null, prev };
}

/**
 * The page number a pager link carries (`page=3`), only ever shown as a label: counting the rows
 * before a cursor would cost a scan at a million rows. Anything else than a plausible number
 * is no number (the position is then not shown), never an error.
 */
const pageNumberSchema = z.string().regex(/^\d{1,10}$/).transform(Number).pipe(z.number().int().min(1).max(MAX_INT));

export function pageNumber(input: UrlInput): number | undefined {
  const v = input instanceof URLSearchParams ? input.get("page") : input.page;
  return pageNumberSchema.safeParse(Array.isArray(v) ? v[0] : v).data;
}

/**
 * Which page is shown: the first when there is none before it, whatever the URL says; else the
 * URL's number from 2 on (a "page=1" with rows before it is a tampered or stale link: unknown).
 */
export function pagePosition(page: Pick<KeysetPage<unknown, unknown>, "prev">, urlPage: number | undefined): number | null {
  if (page.prev === null) return 1;
  return urlPage !== undefined && urlPage >= 2 ? urlPage : null;
}

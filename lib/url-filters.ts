import { z } from "zod";
import { bigIdSchema, idSchema } from "@/lib/ids";

/**
 * A list screen's filters as they travel in the URL (page, links, CSV export): each one parsed on
 * its own, so one bad value is dropped and named while the others still apply.
 */
export type UrlInput = URLSearchParams | Record<string, string | string[] | undefined>;
export type FilterFields<F> = { [K in keyof F]-?: z.ZodType<F[K]> };

// PostgreSQL refuses NUL in text: such a value must be an ignored filter, not a failed query.
export const noControl = /^[^\u0000-\u001f\u007f]*$/;

/**
 * Ids in a list's URL ("12"), read as every id is (lib/ids.ts): canonical digits, and for an
 * `integer` column (users, sites) nothing above MAX_INT, which PostgreSQL would refuse to compare
 * with the column, failing the whole page or export instead of ignoring one filter.
 */
export const urlId = idSchema;
/** An id of a `bigint` column (queue rows, subscriptions, SMS replies): up to a safe integer. */
export const urlBigId = bigIdSchema;

/** The first non-blank value of `name`, or undefined. */
function first(input: UrlInput, name: string): string | undefined {
  const v = input instanceof URLSearchParams ? input.get(name) : input[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" && s.trim() !== "" ? s : undefined;
}

/** Valid filters, plus the names of those that were given but not understood (and dropped). */
export function parseUrlFilters<F>(fields: FilterFields<F>, input: UrlInput): { filters: F; invalid: (keyof F)[] } {
  const filters: Partial<F> = {};
  const invalid: (keyof F)[] = [];
  for (const name of Object.keys(fields) as (keyof F)[]) {
    const raw = first(input, String(name));
    if (raw === undefined) continue;
    const parsed = fields[name].safeParse(raw);
    if (parsed.success) filters[name] = parsed.data;
    else invalid.push(name);
  }
  return { filters: filters as F, invalid };
}

/**
 * A list's keyset cursors (lib/paging.ts) as filter fields: read like the others, so a malformed
 * one is named and dropped (the first page is shown) instead of failing the query.
 */
export const keysetFields = <C>(cursor: z.ZodType<C>) => ({ after: cursor, before: cursor });
const KEYSET_PARAMS = new Set(["after", "before"]);

/** Filters → query string, without the `after`/`before` cursors unless `extra` gives one. */
export function urlFilterQuery<F extends object>(filters: F, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, v] of Object.entries(filters)) if (!KEYSET_PARAMS.has(name) && v !== undefined && v !== null) params.set(name, String(v));
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) params.set(k, String(v));
  return params.toString();
}

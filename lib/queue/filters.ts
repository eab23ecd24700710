import { z } from "zod";
import { channels, queueStatuses, type Channel, type QueueStatus } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { scopeUrlSite } from "@/lib/sites/scope";
import { messageInScope } from "./message-filter";
import { keysetFields, noControl, parseUrlFilters, urlBigId, urlFilterQuery, urlId, type FilterFields, type UrlInput } from "@/lib/url-filters";

/**
 * The queue screen's filters, as they travel in the URL. One parser serves the page, the CSV
 * export, the stats route and the bulk actions, so all of them act on exactly the same rows.
 */
export type QueueFilters = {
  status?: QueueStatus;
  channel?: Channel;
  /** Superuser only: "all" or a site id. Ignored for everyone else. */
  site?: "all" | number;
  /** Queued on or after this day (UTC), YYYY-MM-DD. */
  from?: string;
  /** Queued on or before this day (UTC), inclusive. */
  to?: string;
  /** Recipient starts with. */
  recipient?: string;
  /** Subject contains. */
  subject?: string;
  /** The rows of one message (a send's report links here for all of its recipients). */
  message?: number;
  /** Keyset cursors (lib/paging.ts): the last id of the previous page, or the first of the next one. */
  after?: number;
  before?: number;
};
export type FilterName = keyof QueueFilters;

// Years outside 1900–2999 are refused: the day after 9999-12-31 is not a timestamp PostgreSQL reads.
const isoDay = z
  .string()
  .regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  });
const fields: FilterFields<QueueFilters> = {
  status: z.enum(queueStatuses),
  channel: z.enum(channels),
  site: z.union([z.literal("all"), urlId]),
  from: isoDay,
  to: isoDay,
  recipient: z.string().trim().min(1).max(320).regex(noControl),
  subject: z.string().trim().min(1).max(200).regex(noControl),
  message: urlBigId,
  ...keysetFields(urlBigId),
};
export const filterNames = Object.keys(fields) as FilterName[];

/** Valid filters, plus the names of those that were given but not understood (and dropped). */
export function parseQueueFilters(input: UrlInput): { filters: QueueFilters; invalid: FilterName[] } {
  const { filters: f, invalid } = parseUrlFilters(fields, input);
  if (f.from && f.to && f.from > f.to) {
    delete f.to;
    invalid.push("to");
  }
  return { filters: f, invalid };
}

/**
 * parseQueueFilters and the site the rows come from, for what shows or exports the list: an
 * admin's `site` is dropped without a word (theirs is the only one), a superuser's that names no
 * site is dropped and named in `invalid` (scopeUrlSite), so the screen says "… ignored" and shows
 * its own site rather than an empty list worded as if that site had no messages.
 */
export async function scopedQueueFilters(actor: Pick<Actor, "role">, currentSiteId: number, input: UrlInput) {
  const parsed = parseQueueFilters(input);
  const siteId = await scopeUrlSite(actor, currentSiteId, parsed);
  // A message out of the rows' scope (another site's, or gone) is named like a malformed filter,
  // for the reason scopeUrlSite names an unknown site: an empty list would read "no messages".
  const message = parsed.filters.message === undefined ? null : await messageInScope(parsed.filters.message, siteId);
  if (parsed.filters.message !== undefined && !message) {
    delete parsed.filters.message;
    parsed.invalid.push("message");
  }
  return { ...parsed, siteId, message };
}

/** Filters → query string (without the cursor unless given), for links, the export and forms. */
export function filterQuery(filters: QueueFilters, extra: Partial<Record<FilterName | "page", string | number>> = {}): string {
  return urlFilterQuery(filters, extra);
}


/** The day after `day` ("YYYY-MM-DD"): an inclusive "to" day ends where it starts. */
export function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

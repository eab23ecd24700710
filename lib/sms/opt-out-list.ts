import { and, count, eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { AsYouType, isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { db } from "@/db/client";
import { smsOptOuts, smsOptOutSources, type SmsOptOutSource } from "@/db/schema";
import { csvHeaders, pagedCsvStream, STABLE_CSV, type CsvFormat } from "@/lib/csv";
import { likePrefix } from "@/lib/db-utils";
import { keysetPage, keysetSql, type KeysetOptions } from "@/lib/paging";
import { keysetFields, parseUrlFilters, urlFilterQuery, type UrlInput } from "@/lib/url-filters";
import { E164 } from "./url";

/* ---------- The opt-out screen's filters, as they travel in the URL (page, export, links). ---------- */

/** `q`: the start of a number, already turned into the start of an E.164 number ("+336…"). */
export type OptOutFilters = { q?: string; source?: SmsOptOutSource; after?: string; before?: string };
type FilterName = keyof OptOutFilters;

// A page boundary: the last row's exact received_at (microseconds, UTC) and number.
const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})Z_(.+)$/;

/** A cursor's instant and number, or null when it is not one (a date that does not exist: 2026-13-45). */
function readCursor(cursor: string): { at: string; phone: string } | null {
  const m = CURSOR.exec(cursor);
  if (!m || !E164.test(m[3])) return null;
  const date = new Date(`${m[1]}Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 19) !== m[1] || date.getUTCFullYear() < 1) return null;
  return { at: `${m[1]}.${m[2]}Z`, phone: m[3] };
}

/**
 * The start of a number as people type it, as the start of an E.164 number: "+33 6", "0033 6"
 * and, in France, "06" all become "+336"; in Italy, which has no trunk 0, "347" becomes "+39347".
 * Libphonenumber's as-you-type reader knows each country's national and international prefixes.
 * Null when it is not the start of a number at all.
 */
export function numberPrefix(typed: string, country: string): string | null {
  const compact = typed.replace(/[\s.\-()]/g, "");
  if (!/^\+?\d{1,16}$/.test(compact)) return null;
  if (compact.startsWith("00")) return compact.length > 2 ? `+${compact.slice(2)}` : null;
  const upper = country.toUpperCase();
  const reader = new AsYouType(isSupportedCountry(upper) ? upper : undefined);
  reader.input(compact);
  const value = reader.getNumberValue() ?? (compact.startsWith("+") ? compact : `+${compact}`);
  return /^\+\d{1,16}$/.test(value) ? value : null;
}

/** Valid filters (the number read in the site's country), plus the names of those given but not understood. */
export function parseOptOutFilters(input: UrlInput, country: string): { filters: OptOutFilters; invalid: FilterName[] } {
  return parseUrlFilters<OptOutFilters>(
    {
      q: z.string().transform((s, ctx) => numberPrefix(s, country) ?? (ctx.addIssue({ code: "custom" }), z.NEVER)),
      source: z.enum(smsOptOutSources),
      ...keysetFields(z.string().refine((v) => readCursor(v) !== null)),
    },
    input,
  );
}

/** Filters → query string, without the cursor unless `extra` gives one. */
export function optOutQuery(filters: OptOutFilters, extra: Record<string, string | number | undefined> = {}) {
  return urlFilterQuery(filters, extra);
}

/**
 * The first number string after every one that starts with `prefix` ("+3369" → "+337"), or null
 * when there is none ("+99"). Only digits are compared, so the bound holds in any collation.
 */
function prefixEnd(prefix: string): string | null {
  const digits = prefix.slice(1).replace(/9+$/, "");
  return digits ? `+${digits.slice(0, -1)}${Number(digits.at(-1)) + 1}` : null;
}

/**
 * Numbers in `column` (E.164: "+" and digits) starting with `prefix`: a range the column's index
 * serves; the LIKE keeps the match exact.
 */
export function phonePrefixWhere(column: AnyColumn, prefix: string): SQL {
  const end = prefixEnd(prefix);
  return sql`(${column} >= ${prefix} ${end ? sql`and ${column} < ${end}` : sql``} and ${column} like ${likePrefix(prefix)})`;
}

/** One site's opt-outs, filtered (the number prefix through the (site_id, phone) key). */
export function optOutsWhere(siteId: number, f: Omit<OptOutFilters, "after" | "before"> = {}): SQL {
  const parts: SQL[] = [eq(smsOptOuts.siteId, siteId)];
  if (f.source) parts.push(eq(smsOptOuts.source, f.source));
  if (f.q) parts.push(phonePrefixWhere(smsOptOuts.phone, f.q));
  return and(...parts)!;
}

export type OptOutRow = { phone: string; keyword: string; source: SmsOptOutSource; receivedAt: Date; cursor: string };

/** One page, newest first, keyset-paginated on (received_at, phone), both ways (lib/paging.ts). */
export async function listOptOuts(where: SQL, options: KeysetOptions<string> = {}): Promise<{ rows: OptOutRow[]; next: string | null; prev: string | null }> {
  return keysetPage(options, ({ cursor, back, take }) => optOutsBeyond(where, cursor, back, take), (r) => r.cursor);
}

/** The opt-outs on one side of a cursor, nearest first. */
function optOutsBeyond(where: SQL, cursor: string | undefined, back: boolean, take: number): Promise<OptOutRow[]> {
  const at = cursor === undefined ? null : readCursor(cursor);
  // Filters come through parseOptOutFilters; a bad cursor here is a bug, not a first page.
  if (cursor !== undefined && !at) throw new Error(`not an opt-out list cursor: ${cursor}`);
  const k = keysetSql("desc", back);
  return db
    .select({
      phone: smsOptOuts.phone,
      keyword: smsOptOuts.keyword,
      source: smsOptOuts.source,
      receivedAt: smsOptOuts.receivedAt,
      // The exact timestamp: a JavaScript Date keeps milliseconds and would skip or repeat rows.
      cursor: sql<string>`to_char(${smsOptOuts.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || ${smsOptOuts.phone}`,
    })
    .from(smsOptOuts)
    .where(at ? and(where, sql`(${smsOptOuts.receivedAt}, ${smsOptOuts.phone}) ${k.beyond} (${at.at}::timestamptz, ${at.phone})`) : where)
    .orderBy(sql`${smsOptOuts.receivedAt} ${k.nearest}, ${smsOptOuts.phone} ${k.nearest}`)
    .limit(take);
}

/** How many rows match, counted up to `cap` (a count that stays fast on a long list). */
export async function countOptOuts(where: SQL, cap = 10_000): Promise<{ count: number; capped: boolean }> {
  const limited = db.select({ one: sql`1` }).from(smsOptOuts).where(where).limit(cap + 1).as("limited");
  const [{ n }] = await db.select({ n: count() }).from(limited);
  return { count: Math.min(n, cap), capped: n > cap };
}

/** An opt-out an admin records (the person asked by phone or mail): false if the number was already out. */
export async function addOptOutByHand(siteId: number, phone: string): Promise<boolean> {
  const added = await db.insert(smsOptOuts).values({ siteId, phone, keyword: "", source: "admin" }).onConflictDoNothing().returning({ phone: smsOptOuts.phone });
  return added.length > 0;
}

/** Takes an opt-out back (the person asked for SMS again): false if the number was not out. */
export async function removeOptOut(siteId: number, phone: string): Promise<boolean> {
  const removed = await db.delete(smsOptOuts).where(and(eq(smsOptOuts.siteId, siteId), eq(smsOptOuts.phone, phone))).returning({ phone: smsOptOuts.phone });
  return removed.length > 0;
}

/* ---------- CSV export. ---------- */

export const OPT_OUT_CSV_COLUMNS = ["phone", "keyword", "source", "received_at"] as const;

/** The filtered list as CSV, read in keyset batches as the client downloads it. */
export function optOutsCsvStream(where: SQL, format: CsvFormat = STABLE_CSV): ReadableStream<Uint8Array> {
  const { words } = format;
  return pagedCsvStream<string>(csvHeaders(OPT_OUT_CSV_COLUMNS, "subscriptions.optOuts.csv", words), async (after) => {
    const page = await listOptOuts(where, { after, limit: 5_000 });
    return { lines: page.rows.map((r) => [r.phone, r.keyword, words(`subscriptions.optOuts.source.${r.source}`, r.source), r.receivedAt]), next: page.next };
  }, format.delimiter);
}

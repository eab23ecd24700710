import { and, eq, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { roles, sites, users, type Role } from "@/db/schema";
import { csvHeaders, pagedCsvStream, STABLE_CSV, type CsvFormat } from "@/lib/csv";
import { isLocale } from "@/lib/i18n/config";
import { likePrefix } from "@/lib/db-utils";
import { emailSearchText } from "@/lib/idn";
import { keysetPage, keysetSql, type KeysetOptions } from "@/lib/paging";
import { keysetFields, noControl, parseUrlFilters, urlFilterQuery, urlId, type FilterFields, type UrlInput } from "@/lib/url-filters";

export type UserRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  siteId: number;
  siteDomain: string;
  locale: string;
  disabled: boolean;
  createdAt: Date;
};

/**
 * Whether `actor` may open (and edit) `target`'s account: a superuser opens every account, an
 * admin their own and members'. Other admins' accounts are managed by superusers, who hand out
 * the role: an admin setting a fellow admin's password or address would take the account over.
 * The list shows the others without a link to a page they would be refused, and the edit page
 * and its action refuse them.
 */
export const canOpenUser = (actor: { id: number; role: Role }, target: { id: number; role: Role }) =>
  actor.role === "superuser" || target.role === "member" || target.id === actor.id;

/* ---------- The users screen's filters, as they travel in the URL (page, export, links). ---------- */

export const userStatuses = ["active", "disabled"] as const;
export type UserStatus = (typeof userStatuses)[number];
export type UserFilters = {
  /** Start of an email or name. */
  q?: string;
  role?: Role;
  status?: UserStatus;
  /** Superuser only: "all" or a site id (see scopeSiteId). */
  site?: "all" | number;
  after?: number;
  before?: number;
};

const fields: FilterFields<UserFilters> = {
  q: z.string().trim().min(1).max(200).regex(noControl),
  role: z.enum(roles),
  status: z.enum(userStatuses),
  site: z.union([z.literal("all"), urlId]),
  ...keysetFields(urlId),
};

/** Valid filters, plus the names of those given but not understood (dropped, and said so). */
export function parseUserFilters(input: UrlInput) {
  return parseUrlFilters(fields, input);
}

/**
 * Whether the list is narrowed (a page further on counts too): an empty one then says "no user
 * matches these filters", not "no users yet".
 */
export const userFiltersApplied = (f: UserFilters) => Boolean(f.q || f.role || f.status || f.site !== undefined || f.after || f.before);

/** Filters → query string, without the cursor unless `extra` gives one. */
export const userQuery = (filters: UserFilters, extra: Record<string, string | number | undefined> = {}) => urlFilterQuery(filters, extra);

/** What a users-list row holds (also what bench/users-list.ts selects for its OFFSET contrast). */
export const userListColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  siteId: users.siteId,
  siteDomain: sites.domain,
  locale: users.locale,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};

type ListOptions = KeysetOptions<number> & { siteId: number | null; q?: string; role?: Role; status?: UserStatus };

/**
 * One page of users, newest first, with keyset pagination on id (`after` = last id seen,
 * `before` = first id seen, lib/paging.ts): cost stays flat however deep the page. Search is a prefix match on email or name, served
 * by the text_pattern_ops indexes; a role or "disabled" filter by its own (site, …, id) index,
 * so a handful of administrators among a million members is found at once. `siteId: null`
 * lists every site (superuser only).
 */
export async function listUsers(options: ListOptions) {
  const filters: SQL[] = [];
  if (options.siteId !== null) filters.push(eq(users.siteId, options.siteId));
  const q = options.q?.trim().toLowerCase();
  // The address as stored (an accented domain in ASCII, emailSearchText); the name as typed.
  if (q) filters.push(or(sql`${users.email} like ${likePrefix(emailSearchText(q))}`, sql`lower(${users.name}) like ${likePrefix(q)}`)!);
  if (options.role) filters.push(eq(users.role, options.role));
  if (options.status) filters.push(options.status === "disabled" ? isNotNull(users.disabledAt) : isNull(users.disabledAt));
  const page = await keysetPage(
    options,
    ({ cursor, back, take }) => {
      const k = keysetSql("desc", back);
      return db
        .select(userListColumns)
        .from(users)
        .innerJoin(sites, eq(sites.id, users.siteId))
        .where(and(...filters, cursor === undefined ? undefined : sql`${users.id} ${k.beyond} ${cursor}`))
        .orderBy(sql`${users.id} ${k.nearest}`)
        .limit(take);
    },
    (u) => u.id,
  );
  const list: UserRow[] = page.rows.map(({ disabledAt, ...u }) => ({ ...u, disabled: disabledAt !== null }));
  return { users: list, next: page.next, prev: page.prev };
}

/* ---------- CSV export: never a password hash, only what the screen shows. ---------- */

export const USER_CSV_COLUMNS = ["id", "email", "name", "role", "site", "locale", "status", "created_at"] as const;

/** The filtered list as CSV, read in keyset batches as the client downloads it. */
export function usersCsvStream(options: Omit<ListOptions, "after" | "before" | "limit">, format: CsvFormat = STABLE_CSV): ReadableStream<Uint8Array> {
  const { words } = format;
  const status = (u: UserRow) => (u.disabled ? "disabled" : "active");
  return pagedCsvStream<number>(csvHeaders(USER_CSV_COLUMNS, "users.csv", words), async (after) => {
    const page = await listUsers({ ...options, after, limit: 5_000 });
    const lines = page.users.map((u) => [
      u.id, u.email, u.name, words(`users.roles.${u.role}`, u.role), u.siteDomain,
      isLocale(u.locale) ? words(`layout.languageLabel.${u.locale}`, u.locale) : u.locale, words(`users.${status(u)}`, status(u)), u.createdAt,
    ]);
    return { lines, next: page.next };
  }, format.delimiter);
}

import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, users, type Role } from "@/db/schema";
import { likePrefix } from "@/lib/db-utils";

export type UserRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  siteId: number;
  siteDomain: string;
  disabled: boolean;
  createdAt: Date;
};

/**
 * One page of users, newest first, with keyset pagination on id (`after` = last id seen):
 * cost stays flat however deep the page. Search is a prefix match on email or name, served
 * by the text_pattern_ops indexes. `siteId: null` lists every site (superuser only).
 */
/** What a users-list row holds (also what bench/users-list.ts selects for its OFFSET contrast). */
export const userListColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  siteId: users.siteId,
  siteDomain: sites.domain,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
};

export async function listUsers(options: { siteId: number | null; q?: string; after?: number; limit?: number }) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const filters: SQL[] = [];
  if (options.siteId !== null) filters.push(eq(users.siteId, options.siteId));
  const q = options.q?.trim().toLowerCase();
  if (q) filters.push(or(sql`${users.email} like ${likePrefix(q)}`, sql`lower(${users.name}) like ${likePrefix(q)}`)!);
  if (options.after) filters.push(lt(users.id, options.after));
  const list = await db
    .select(userListColumns)
    .from(users)
    .innerJoin(sites, eq(sites.id, users.siteId))
    .where(and(...filters))
    .orderBy(desc(users.id))
    .limit(limit + 1);
  const page: UserRow[] = list.slice(0, limit).map(({ disabledAt, ...u }) => ({ ...u, disabled: disabledAt !== null }));
  return { users: page, next: list.length > limit ? page[page.length - 1].id : null };
}

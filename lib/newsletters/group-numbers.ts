import { and, eq, inArray, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { subscriptions, translationOverrides } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { fileKeys } from "@/lib/i18n/messages";

// Kept apart from groups.ts, which creates groups through lib/i18n/edit.ts: the translation
// editor checks deletions with these, and must not import what imports it.

export const GROUP_KEY = /^signup_opt(\d{1,9})$/;
export const groupKey = (id: number) => `signup_opt${id}`;

/**
 * A number some key already takes: the group's own label, or a namespace under it
 * (`signup_opt5.note`), which a label `signup_opt5` would clash with.
 */
const NUMBERED_KEY = "^signup_opt(\\d{1,9})(?:\\.|$)";

type Reader = Pick<typeof db, "execute">;

/**
 * The number "New group" takes: above every number the site has ever used that something still
 * refers to. A group's label can be removed while its subscriptions (unsubscriptions, kept as
 * the record of who left) and templates (`group_ids`) remain; a new group given that number
 * would inherit them, so it takes the next one instead.
 */
export async function nextGroupId(siteId: number, tx: Reader = db): Promise<number> {
  const result = await tx.execute(sql`
    select greatest(
      (select max(group_id) from subscriptions where site_id = ${siteId}),
      (select max(g.n::bigint) from message_templates t cross join lateral jsonb_array_elements_text(t.group_ids) as g(n) where t.site_id = ${siteId}),
      (select max(substring(key from ${NUMBERED_KEY})::bigint) from translation_overrides where site_id = ${siteId})
    ) as n`);
  const inDatabase = Number(rows<{ n: string | number | null }>(result)[0]?.n ?? 0);
  const pattern = new RegExp(NUMBERED_KEY);
  const inFiles = fileKeys().map((k) => Number(pattern.exec(k)?.[1] ?? 0));
  return Math.max(inDatabase, ...inFiles) + 1;
}

/**
 * Subscriptions a group cannot be deleted with: people in it, or waiting to confirm it.
 * Unsubscriptions do not count: they stay, under a number no new group will take, as the
 * record that the person left.
 */
export async function liveSubscriptions(siteId: number, groupId: number, tx: Pick<typeof db, "select"> = db) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(subscriptions)
    .where(and(eq(subscriptions.siteId, siteId), eq(subscriptions.groupId, groupId), inArray(subscriptions.status, ["confirmed", "unconfirmed"])));
  return Number(row?.n ?? 0);
}

/*
 * Deleting a group (emptying its labels) and putting people in it take turns on its label rows
 * (translation_overrides): a writer holds them FOR SHARE while it checks the group is still
 * there and writes (holdGroups), the deletion locks them FOR UPDATE before removing them
 * (lockGroupLabels), then counts the people in the group (refuseDeletingGroupInUse). Whichever
 * comes second waits for the first to commit, and then sees the labels gone, or the people
 * there. Without it, a signup or import that found the group a moment before the deletion
 * wrote its subscriptions after the deletion had counted none, into a group no screen shows.
 * Both lock in (key, locale) order, so two labels never deadlock.
 */

/** The labels of these groups the site has, locked FOR SHARE until the transaction ends (SQL, one `key` column). */
export const heldLabels = (siteId: number, ids: number[]) =>
  sql`select key from translation_overrides
       where site_id = ${siteId} and key = any(string_to_array(${ids.map(groupKey).join(",")}, ','))
       order by key, locale for share`;

/** Groups whose label is in messages/*.json: no screen can delete them. */
export const fileGroupIds = () => fileKeys().flatMap((k) => (GROUP_KEY.test(k) ? [Number(GROUP_KEY.exec(k)![1])] : []));

/**
 * Which of these groups still exist, holding them (heldLabels) until the caller's transaction
 * ends: a deletion waits for it, and one that committed first is seen.
 */
export async function holdGroups(siteId: number, ids: number[], tx: Reader): Promise<Set<number>> {
  const held = ids.length ? rows<{ key: string }>(await tx.execute(heldLabels(siteId, ids))) : [];
  const existing = new Set([...fileGroupIds(), ...held.map((h) => Number(GROUP_KEY.exec(h.key)![1]))]);
  return new Set(ids.filter((id) => existing.has(id)));
}

/** Before a save may remove a group's labels: locks them, in heldLabels' order. */
export async function lockGroupLabels(siteId: number, key: string, tx: Reader) {
  if (!GROUP_KEY.test(key)) return;
  await tx.execute(sql`select id from translation_overrides where site_id = ${siteId} and key = ${key} order by key, locale for update`);
}

/**
 * Emptying every label of `signup_opt<N>` in the translation editor deletes group N. Called
 * inside the save's transaction, after its writes: refuses (and so rolls back) when that left
 * the group without any label while people are still in it, since their subscriptions would
 * stay behind with nothing on any screen to manage them.
 */
export async function refuseDeletingGroupInUse(siteId: number, key: string, tx: Pick<typeof db, "select">) {
  const match = GROUP_KEY.exec(key);
  if (!match || fileKeys().includes(key)) return;
  const [label] = await tx
    .select({ id: translationOverrides.id })
    .from(translationOverrides)
    .where(and(eq(translationOverrides.siteId, siteId), eq(translationOverrides.key, key)))
    .limit(1);
  if (label) return;
  const id = Number(match[1]);
  const count = await liveSubscriptions(siteId, id, tx);
  if (count > 0) throw new ActionError({ key: "errors.groupHasSubscribers", values: { id, count } });
}

/**
 * Refuses (errors.groupNotFound) unless the group still exists, holding it until the caller's
 * transaction ends (holdGroups): what puts people in a group checks this before writing, so a
 * deletion that came first is seen and one that comes later waits. `field`: the form field that
 * named the group, where the refusal is shown (a move's "to").
 */
export async function requireHeldGroup(tx: Reader, siteId: number, groupId: number, field?: string) {
  if (!(await holdGroups(siteId, [groupId], tx)).has(groupId)) throw new ActionError({ key: "errors.groupNotFound" }, field);
}

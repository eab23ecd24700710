import { and, eq, gt, inArray } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { queue, smsReplies, type QueueStatus } from "@/db/schema";
import { bigIdSchema, ID_TEXT } from "@/lib/ids";
import { PAGE_SIZE } from "@/lib/paging";
import { urlFilterQuery } from "@/lib/url-filters";
import { parseReplyFilters, repliesWhere, type ReplyFilters } from "./replies";

/*
 * What the SMS replies screen, left open, asks every few seconds (RepliesFollower): how many
 * replies its filters keep arrived since it was rendered, and where the answers it shows on their
 * way stand. One request for both, where the screen used to poll twice (the newest reply's id, and
 * the whole queue's counts for a badge).
 */

/**
 * New replies are counted up to this many (`more` says there are others): a screen left open all
 * weekend still reads one short index range, and says "100+".
 */
export const NEWER_CAP = 100;

/** An answer's queue row as the screen shows it: its badge. */
export type FollowedAnswer = { id: number; status: QueueStatus };
export type RepliesNews = { newer: number; more: boolean; answers: FollowedAnswer[] };

/** The newest reply the screen knew of (0: none); the queue rows of the answers it follows, at most a page's. */
const sinceSchema = z.string().regex(ID_TEXT).transform(Number).pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
const answersSchema = z.array(bigIdSchema).max(PAGE_SIZE);

export type FollowQuery = { filters: ReplyFilters; since: number; answers: number[] };

/**
 * The route's URL for a screen: its filters (as the page read them) and the answers it shows
 * moving. The follower adds `since`, the newest reply it counts from: on a later page, the one it
 * was opened with, whatever later renderings read (RepliesFollower).
 */
export function followUrl(filters: ReplyFilters, answers: number[]): string {
  const query = urlFilterQuery(filters, { answers: answers.length ? answers.join(",") : undefined });
  return `/api/sms/replies/follow${query ? `?${query}` : ""}`;
}

/**
 * The route's query, as followUrl writes it, or null. The filters are those the page kept: one
 * it could not read is not ignored here (as the page does, naming it) but refused, since the
 * screen never sends one.
 */
export function parseFollowQuery(params: URLSearchParams, country: string): FollowQuery | null {
  const { filters, invalid } = parseReplyFilters(params, country);
  const since = sinceSchema.safeParse(params.get("since") ?? "0");
  const listed = params.get("answers") ?? "";
  const answers = answersSchema.safeParse(listed === "" ? [] : listed.split(","));
  if (invalid.length || !since.success || !answers.success) return null;
  return { filters, since: since.data, answers: answers.data };
}

/** How many replies after `since` the filters keep (up to NEWER_CAP), and the statuses of the given answer rows of the site. */
export async function repliesNews(siteId: number, { filters, since, answers }: FollowQuery): Promise<RepliesNews> {
  const { q, kind, answered } = filters;
  const [newer, rows] = await Promise.all([
    // Through (site_id, id): the rows past `since` only, however many the site keeps.
    db.select({ id: smsReplies.id }).from(smsReplies).where(and(repliesWhere(siteId, { q, kind, answered }), gt(smsReplies.id, since))).limit(NEWER_CAP + 1),
    answers.length
      ? db.select({ id: queue.id, status: queue.status }).from(queue).where(and(eq(queue.siteId, siteId), inArray(queue.id, answers))).orderBy(queue.id)
      : Promise.resolve([]),
  ]);
  return { newer: Math.min(newer.length, NEWER_CAP), more: newer.length > NEWER_CAP, answers: rows };
}

import { asc } from "drizzle-orm";
import { expect } from "vitest";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { db } from "@/db/client";
import { erasedSubscribers, queue, rateLimits, sites, translationOverrides, users, smsOptOuts } from "@/db/schema";
import { flatten } from "@/lib/i18n/messages";
import en from "@/messages/en.json";
import type { ActionResult } from "@/lib/actions/action";

/** Every server action built by lib/actions/action.ts has this shape. */
export type AnyAction = (previous: unknown, raw?: unknown) => Promise<ActionResult<unknown>>;

/** Every key messages/en.json defines, flattened (`errors.required`, ...). */
export const EN_KEYS = new Set(Object.keys(flatten(en)));

/**
 * Runs an action the way a form would, `(previousState, formData)`. A successful action may
 * end in `redirect()`, which throws NEXT_REDIRECT: that comes back as `{ redirect: url }`.
 */
export async function run(act: AnyAction, input: unknown): Promise<ActionResult<unknown> | { redirect: string }> {
  try {
    return await act(null, input);
  } catch (error) {
    if (isRedirectError(error)) return { redirect: getURLFromRedirectError(error) };
    throw error;
  }
}

/** Narrows a run() outcome to a failed result and checks its message key is a real one. */
export function expectFailure(outcome: Awaited<ReturnType<typeof run>>, key?: string) {
  expect(outcome, "the action redirected instead of failing").not.toHaveProperty("redirect");
  const result = outcome as ActionResult<unknown>;
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error("unreachable");
  if (key) expect(result.error.key).toBe(key);
  expect(EN_KEYS.has(result.error.key), `${result.error.key} is not in messages/en.json`).toBe(true);
  for (const [field, msg] of Object.entries(result.fieldErrors ?? {})) {
    expect(EN_KEYS.has(msg.key), `fieldErrors.${field} = ${msg.key} is not in messages/en.json`).toBe(true);
  }
  return result;
}

export function expectSuccess(outcome: Awaited<ReturnType<typeof run>>) {
  if ("redirect" in outcome) return outcome;
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ ok: true });
  return outcome;
}

/** Everything the actions under test could change, in a stable order, for before/after comparisons. */
export async function snapshotDb() {
  return {
    sites: await db.select().from(sites).orderBy(asc(sites.id)),
    users: await db.select().from(users).orderBy(asc(users.id)),
    overrides: await db.select().from(translationOverrides).orderBy(asc(translationOverrides.id)),
    rateLimits: await db.select().from(rateLimits).orderBy(asc(rateLimits.key)),
    smsOptOuts: await db.select().from(smsOptOuts).orderBy(asc(smsOptOuts.siteId), asc(smsOptOuts.phone)),
    erased: await db.select().from(erasedSubscribers).orderBy(asc(erasedSubscribers.siteId), asc(erasedSubscribers.emailHash)),
    // Ids only: an action that queues anything (a test SMS, an answer) adds a row.
    queue: await db.select({ id: queue.id }).from(queue).orderBy(asc(queue.id)),
  };
}

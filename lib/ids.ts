import { z } from "zod";

/** A row id as PostgreSQL `integer` stores it: anything else is "not found", never a query error. */
export const MAX_INT = 2_147_483_647;

/**
 * An id as text (a URL, a form field): decimal digits only, at most 15 so it stays a safe
 * integer. Coercing with Number() also took "0x1", "1e3", " 7" or "+7" for ids.
 */
export const ID_TEXT = /^\d{1,15}$/;

/**
 * Canonical digits, or a number already (an action called from a client component), read as
 * its digits so 1.5 or 1e21 fail alike; a missing id stays "required".
 */
const idInput = z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().regex(ID_TEXT).transform(Number));

export const idSchema = idInput.pipe(z.number().int().positive().max(MAX_INT));
/** Ids of `bigint` columns (queue rows, subscriptions, SMS replies). */
export const bigIdSchema = idInput.pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

export function parseId(value: unknown): number | null {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

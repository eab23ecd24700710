import { z } from "zod";

/** A row id as PostgreSQL `integer` stores it: anything else is "not found", never a query error. */
export const MAX_INT = 2_147_483_647;
export const idSchema = z.coerce.number().int().positive().max(MAX_INT);

export function parseId(value: unknown): number | null {
  const parsed = idSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

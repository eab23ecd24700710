/** Escapes LIKE wildcards so a search for `50%_off` matches those characters literally. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching what starts with `q`, taken literally. */
export const likePrefix = (q: string) => `${likeEscape(q)}%`;

/** PostgreSQL unique violation, from either driver. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 3 && e; i++) {
    if ((e as { code?: string }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
